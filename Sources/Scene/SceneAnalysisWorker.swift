import BackdropCore
import Foundation

/// Analyses plate snapshots and synthesizes their backgrounds on its own thread, for an
/// asynchronous `SceneSynthesizer`. Fed through a latest-value slot: a snapshot still waiting
/// when a newer one comes is replaced, so the analysis always gets the newest plate.
///
/// `@unchecked Sendable` at a documented hand-off: `pending`, `result`, `busy`, `stopped`,
/// `exited` and `analysisSeconds` are only touched under `condition`; `analyzer`, `synthesizer`
/// and `published` only on the worker thread once started. What crosses is values: a job
/// carries a copy of the plate (`BackgroundPlate.Snapshot`, whose arrays the plate copies
/// before it next writes them), a result the description and its background. The worker holds
/// nothing of its `SceneSynthesizer`, which stops it from `deinit`.
final class SceneAnalysisWorker: @unchecked Sendable {
    struct Job: Sendable {
        var snapshot: BackgroundPlate.Snapshot
        /// Forget the previous clusters first (the room changed or the plate was replaced).
        var forget: Bool
        /// The caller's plate generation; results of an older one are stale.
        var epoch: Int
    }

    struct Result: Sendable {
        var scene: SceneDescription
        var background: VideoFrame
        var epoch: Int
        var analysisSeconds: Double
        var synthesisSeconds: Double
    }

    private let condition = NSCondition()
    private let theme: Theme?
    private let analyzer: LabelAnalyzer
    private let synthesizer = BackgroundSynthesizer()
    private var pending: Job?
    private var result: Result?
    private var busy = false
    private var stopped = false
    private var exited = false
    private var analysisSeconds = 0.0
    /// The last description published, and for which epoch (worker thread only).
    private var published: (scene: SceneDescription, epoch: Int)?

    init(theme: Theme?, analysis: LabelAnalyzer.Options) {
        self.theme = theme
        analyzer = LabelAnalyzer(options: analysis)
        let thread = Thread { [self] in run() }
        thread.name = "backdrop-synth"
        thread.start()
    }

    /// Replaces any job still waiting (keeping its request to forget).
    func offer(_ job: Job) {
        condition.lock()
        var job = job
        if let waiting = pending, waiting.forget { job.forget = true }
        pending = job
        condition.broadcast()
        condition.unlock()
    }

    /// The newest finished background not taken yet, and how long the last analysis took
    /// (whether or not it changed the description).
    func takeResult() -> (result: Result?, analysisSeconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        let taken = result
        result = nil
        return (taken, analysisSeconds)
    }

    /// Waits until no job is waiting or running; false if `timeout` (seconds) passed first.
    func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while (pending != nil || busy) && !exited {
            if !condition.wait(until: deadline) { return pending == nil && !busy }
        }
        return pending == nil && !busy
    }

    /// Asks the thread to end: a job waiting is dropped, one running ends before its synthesis
    /// (or after it, if already under way), and no other starts. Does not wait.
    func stop() {
        condition.lock()
        stopped = true
        pending = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the thread has returned; false if `timeout` (seconds) passed first.
    func waitUntilExited(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !exited {
            if !condition.wait(until: deadline) { return exited }
        }
        return true
    }

    private func run() {
        defer {
            condition.lock()
            exited = true
            busy = false
            condition.broadcast()
            condition.unlock()
        }
        while true {
            condition.lock()
            while pending == nil && !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let job = pending!
            pending = nil
            busy = true
            condition.unlock()

            let (produced, seconds) = process(job)
            condition.lock()
            if let produced { result = produced }
            if let seconds { analysisSeconds = seconds }
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }

    private var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// The analysis and synthesis `SceneSynthesizer` does in line in synchronous mode.
    /// Returns the new background if the description changed, and the analysis time if there
    /// was an analysis.
    private func process(_ job: Job) -> (Result?, Double?) {
        let start = MonotonicClock.now()
        if job.forget { analyzer.forget() }
        // An empty plate (nothing of the room seen yet) leaves the caller's background as it is.
        guard var next = try? analyzer.analyze(plate: job.snapshot.image(), age: job.snapshot.age) else { return (nil, nil) }
        if let theme { next = theme.dressing(next) }
        let analysisSeconds = MonotonicClock.now() - start
        if let published, published.epoch == job.epoch, published.scene == next { return (nil, analysisSeconds) }
        if isStopped { return (nil, analysisSeconds) }
        let synthesisStart = MonotonicClock.now()
        guard let background = try? synthesizer.synthesize(next, width: job.snapshot.width, height: job.snapshot.height) else {
            return (nil, analysisSeconds)
        }
        published = (next, job.epoch)
        return (Result(scene: next, background: background, epoch: job.epoch, analysisSeconds: analysisSeconds,
                       synthesisSeconds: MonotonicClock.now() - synthesisStart), analysisSeconds)
    }
}
