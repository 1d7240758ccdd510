import BackdropCore

/// The synthesized background for a live or file pipeline: feed it every frame with its person
/// mask; it keeps a plate of the room, analyses it when due (first frame, as the plate fills
/// in, after the room changed), and returns the cached background synthesized from the room's
/// own label map, dressed in a theme if one is given.
///
/// Synchronous (the default, for files): the analysis and synthesis run in the call that makes
/// them due, so the same input gives the same frames every time. Asynchronous (live streams):
/// they run on a worker thread; the call only updates the plate, hands a copy of it to the
/// worker when an analysis is due, and returns the background it has until the worker's next
/// one is ready.
///
/// Never returns the real room: before anything was seen (the person fills the frame), and in
/// asynchronous mode until the first analysis is done, it returns a neutral synthesized wall.
/// Not thread-safe: one per stream, called from one thread.
public final class SceneSynthesizer {
    /// When to analyse and how.
    public struct Options: Sendable {
        /// Dress the room in this theme instead of its own colours and textures.
        public var theme: Theme?
        public var seed: UInt32 = 0
        public var level = SceneLevel.l0
        /// Re-analyse at most this often (frames), and only if the plate grew meanwhile.
        public var analysisInterval = 30
        /// Coverage growth (fraction of the frame) that makes a re-analysis worth it.
        public var coverageGrowth = 0.02
        /// A change score above this for `changeFrames` frames in a row restarts the plate.
        public var changeThreshold = 0.35
        public var changeFrames = 5
        public var analysis = LabelAnalyzer.Options()
        /// Analyse and synthesize on a worker thread (live streams), so that no call waits for
        /// an analysis (~100 ms at 720p) or a synthesis (~20 ms). Off, they run in the call and
        /// a file gives the same frames on every run.
        public var asynchronous = false

        public init(theme: Theme? = nil, seed: UInt32 = 0, asynchronous: Bool = false) {
            self.theme = theme
            self.seed = seed
            self.asynchronous = asynchronous
        }
    }

    public let options: Options
    /// The description the current background was synthesized from (what a codec would send).
    public private(set) var scene: SceneDescription?
    /// Increases every time `scene` changes.
    public private(set) var sceneVersion = 0
    /// Seconds the last analysis and the last synthesis took (in asynchronous mode: on the
    /// worker, as of the last result taken).
    public private(set) var lastAnalysisSeconds = 0.0
    public private(set) var lastSynthesisSeconds = 0.0

    private var plate: BackgroundPlate?
    /// Synchronous mode only (the worker has its own).
    private let analyzer: LabelAnalyzer
    /// Synchronous mode: every background; asynchronous: the neutral wall only.
    private let synthesizer = BackgroundSynthesizer()
    /// Asynchronous mode only (internal for the tests).
    let worker: SceneAnalysisWorker?
    private var cached: VideoFrame?
    private var framesSinceAnalysis = 0
    private var coverageAtAnalysis = 0.0
    private var changeStreak = 0
    /// Scratch of `resampled(_:width:height:)`: the frame-size mask and, per frame column, the
    /// mask column it samples; made for the sizes in `resampleKey` (mask width, frame size).
    private var resampledMask = Mask(width: 1, height: 1)
    private var sourceColumns: [Int] = []
    private var resampleKey: [Int] = []
    /// Asynchronous mode: the plate generation the worker's results must belong to (a result
    /// of a plate since restarted or replaced is dropped), and whether the next job must make
    /// the worker forget its clusters.
    private var epoch = 0
    private var forgetOnNextJob = false

    public init(options: Options = Options()) {
        self.options = options
        var analysis = options.analysis
        analysis.level = options.level
        analysis.seed = options.seed
        analyzer = LabelAnalyzer(options: analysis)
        worker = options.asynchronous ? SceneAnalysisWorker(theme: options.theme, analysis: analysis) : nil
    }

    deinit {
        // The worker drops what waits, skips the synthesis of what runs, and its thread returns.
        worker?.stop()
    }

    /// The plate so far (nil before the first frame).
    public var currentPlate: BackgroundPlate? { plate }

    /// The background for `frame` (same size and timestamp). `mask` is the person probability,
    /// at frame size or any other size (it is then sampled nearest-neighbour).
    public func background(for frame: VideoFrame, mask: Mask) -> VideoFrame {
        advance(frame, mask: mask, synthesize: true)
        var background = cached!
        background.pts = frame.pts
        background.timeBase = frame.timeBase
        return background
    }

    /// Feeds the plate and analyses when due, as `background(for:mask:)` does, but synthesizes
    /// nothing: for a sender that sends `scene` and leaves the synthesis to its receiver (about
    /// 20 ms saved at 720p each time the description changes). Synchronous mode only.
    public func describe(_ frame: VideoFrame, mask: Mask) -> SceneDescription? {
        precondition(worker == nil, "describe(_:mask:) is for a synchronous SceneSynthesizer")
        advance(frame, mask: mask, synthesize: false)
        return scene
    }

    /// One frame into the plate, and the analysis (in line, or handed to the worker) when due.
    private func advance(_ frame: VideoFrame, mask: Mask, synthesize: Bool) {
        if plate?.width != frame.width || plate?.height != frame.height {
            plate = BackgroundPlate(width: frame.width, height: frame.height)
            analyzer.forget()
            scene = nil
            cached = nil
            epoch += 1
            forgetOnNextJob = true
        }
        if let worker { adopt(worker.takeResult()) }
        let plate = plate!
        let fullMask = resampled(mask, width: frame.width, height: frame.height)
        plate.update(frame: frame, mask: fullMask)
        changeStreak = plate.changeScore > options.changeThreshold ? changeStreak + 1 : 0
        // In line, a background is due also after `describe` calls, which synthesize nothing.
        var due = worker == nil ? scene == nil || (synthesize && cached == nil) : cached == nil
        if changeStreak >= options.changeFrames {
            // The room changed (camera moved, lights switched): start the plate again from this frame.
            plate.reset()
            plate.update(frame: frame, mask: fullMask)
            analyzer.forget()
            epoch += 1
            forgetOnNextJob = true
            changeStreak = 0
            due = true
        }
        framesSinceAnalysis += 1
        if framesSinceAnalysis >= options.analysisInterval, plate.coverage >= coverageAtAnalysis + options.coverageGrowth {
            due = true
        }
        if let worker {
            if cached == nil { showNeutralWall(width: frame.width, height: frame.height) }
            if due {
                framesSinceAnalysis = 0
                coverageAtAnalysis = plate.coverage
                worker.offer(.init(snapshot: plate.snapshot(), forget: forgetOnNextJob, epoch: epoch))
                forgetOnNextJob = false
            }
        } else if due {
            analyze(plate, width: frame.width, height: frame.height, synthesize: synthesize)
        }
    }

    /// Asynchronous mode: waits until the worker has no analysis waiting or running, so the
    /// next `background(for:mask:)` shows the newest result; false if `timeout` (seconds)
    /// passed first. Synchronous mode: true at once. For tests and tools that want a settled
    /// scene; a live stream has no reason to wait.
    public func waitForAnalysis(timeout: Double) -> Bool {
        worker?.waitUntilIdle(timeout: timeout) ?? true
    }

    /// Asynchronous mode: swaps in the worker's newest background, if it is of this plate and new.
    private func adopt(_ taken: (result: SceneAnalysisWorker.Result?, analysisSeconds: Double)) {
        lastAnalysisSeconds = taken.analysisSeconds
        guard let result = taken.result, result.epoch == epoch, result.scene != scene || cached == nil else { return }
        cached = result.background
        scene = result.scene
        sceneVersion += 1
        lastSynthesisSeconds = result.synthesisSeconds
    }

    /// Asynchronous mode, before the first analysis of a plate: the neutral wall, made here once.
    private func showNeutralWall(width: Int, height: Int) {
        var wall = Self.neutral(width: width, height: height, seed: options.seed)
        if let theme = options.theme { wall = theme.dressing(wall) }
        let start = MonotonicClock.now()
        do {
            cached = try synthesizer.synthesize(wall, width: width, height: height)
        } catch {
            // Only a frame too small for any scene gets here: flat grey, never the room.
            cached = VideoFrame(width: width, height: height, fillY: 128, fillU: 128, fillV: 128)
            return
        }
        lastSynthesisSeconds = MonotonicClock.now() - start
        scene = wall
        sceneVersion += 1
    }

    private func analyze(_ plate: BackgroundPlate, width: Int, height: Int, synthesize: Bool) {
        let start = MonotonicClock.now()
        framesSinceAnalysis = 0
        coverageAtAnalysis = plate.coverage
        var next: SceneDescription
        do {
            next = try analyzer.analyze(plate)
        } catch {
            // Nothing of the room seen yet: keep what there is, or a neutral wall.
            guard scene == nil else { return }
            next = Self.neutral(width: width, height: height, seed: options.seed)
        }
        if let theme = options.theme { next = theme.dressing(next) }
        lastAnalysisSeconds = MonotonicClock.now() - start
        guard next != scene || (synthesize && cached == nil) else { return }
        guard synthesize else {
            scene = next
            sceneVersion += 1
            return
        }
        let synthesisStart = MonotonicClock.now()
        do {
            cached = try synthesizer.synthesize(next, width: width, height: height)
        } catch {
            // Only a frame too small for any scene gets here: flat grey, never the room.
            if cached == nil { cached = VideoFrame(width: width, height: height, fillY: 128, fillU: 128, fillV: 128) }
            return
        }
        lastSynthesisSeconds = MonotonicClock.now() - synthesisStart
        scene = next
        sceneVersion += 1
    }

    /// A plain, softly lit light-grey wall.
    static func neutral(width: Int, height: Int, seed: UInt32) -> SceneDescription {
        let wall = LabelAppearance.reproducible(lab: (70, 0, 2), shading: [0, -6, -8, 0, -4], energy: [0.8, 1, 1.2])
        return SceneDescription(frameWidth: width, frameHeight: height, seed: seed,
                                labels: LabelMap(width: (width + 7) / 8, height: (height + 7) / 8), appearances: [wall])
    }

    /// `mask` at frame size, nearest-neighbour, written into a buffer kept from frame to frame
    /// (a model-size mask, as the selective sender gives, would otherwise cost a fresh 3.7 MB at
    /// 720p every frame).
    private func resampled(_ mask: Mask, width: Int, height: Int) -> Mask {
        guard mask.width != width || mask.height != height else { return mask }
        let key = [mask.width, width, height]
        if key != resampleKey {
            resampleKey = key
            resampledMask = Mask(width: width, height: height)
            sourceColumns = (0..<width).map { $0 * mask.width / width }
        }
        let columns = sourceColumns
        mask.values.withUnsafeBufferPointer { source in
            columns.withUnsafeBufferPointer { columns in
                resampledMask.values.withUnsafeMutableBufferPointer { out in
                    for y in 0..<height {
                        let row = source.baseAddress! + (y * mask.height / height) * mask.width
                        let line = out.baseAddress! + y * width
                        for x in 0..<width { line[x] = row[columns[x]] }
                    }
                }
            }
        }
        return resampledMask
    }
}
