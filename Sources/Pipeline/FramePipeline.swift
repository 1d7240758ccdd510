import BackdropCore
import Compositing
import Foundation
import Logging
import Segmentation

/// Source → segmentation → compositing → sinks, each on its own thread.
///
/// For a live source the first hand-off keeps only the latest frame, so when a stage falls behind
/// frames are dropped at the source (and counted), never queued: added latency stays within a
/// frame interval. Segmentation and compositing hand on with back-pressure; each sink has its own
/// latest-frame slot, so a slow sink loses its own frames without holding the others back. For a
/// file source every hand-off blocks instead, and no frame is lost.
///
/// Fail closed: a frame whose segmentation failed goes out with the last good mask or as
/// background only; an unavailable camera gives background-only frames. The raw room never
/// reaches a sink.
public final class FramePipeline: @unchecked Sendable {
    // Sendable by construction: the threads each own their stage's objects (handed over with
    // `Transfer`); shared state is the slots, the stats and `control`, all internally locked.

    struct Captured: Sendable {
        var event: SourceEvent
        var arrival: Double
    }

    struct Segmented: Sendable {
        var frame: VideoFrame?
        var mask: Mask?
        var unavailable: String?
        var arrival: Double
    }

    struct Composited: Sendable {
        var frame: VideoFrame
        var arrival: Double
        /// The frame as captured and its mask, for sinks that composite at the far end
        /// (`MaskedFrameSink`); nil when there is no good mask or the curtain is drawn.
        var original: VideoFrame? = nil
        var mask: Mask? = nil
    }

    public let sourceName: String
    public let sinkNames: [String]
    public let sourceStats = StageStats(name: "source")
    public let segmentationStats = StageStats(name: "segmentation")
    public let compositingStats = StageStats(name: "compositing")
    public let sinkStats: [StageStats]

    private let captured: FrameSlot<Captured>
    private let segmented = FrameSlot<Segmented>(policy: .blocking)
    private let sinkSlots: [FrameSlot<Composited>]
    private let control = PipelineControl()
    private let finished = DispatchGroup()
    private let logger: Logger

    private var source: Transfer<any FrameSource>?
    private var segmenter: Transfer<any FrameSegmenter>?
    private var sinks: [Transfer<any FrameSink>]
    private let initialBackground: Background
    /// A live source's synthesized background analyses the room off the compositing thread.
    private let isLive: Bool
    /// Size of the frames shown while the camera is unavailable and none has been seen yet.
    private let fallbackSize: (width: Int, height: Int)
    private let unavailableOverlay: UnavailableOverlay?

    /// Draws on each picture shown while the camera is unavailable (the daemon's "camera
    /// unavailable" card), given the reason the source reported. Called on the compositing thread.
    public typealias UnavailableOverlay = @Sendable (_ frame: inout VideoFrame, _ reason: String) -> Void

    public init(source: any FrameSource, segmenter: any FrameSegmenter, sinks: [any FrameSink],
                background: Background, fallbackSize: (width: Int, height: Int) = (1280, 720),
                unavailableOverlay: UnavailableOverlay? = nil, logger: Logger) {
        precondition(!sinks.isEmpty, "a pipeline needs at least one sink")
        sourceName = source.name
        sinkNames = sinks.map(\.name)
        captured = FrameSlot(policy: source.isLive ? .latest : .blocking)
        sinkSlots = sinks.map { _ in FrameSlot(policy: source.isLive ? .latest : .blocking) }
        sinkStats = sinks.map { StageStats(name: "sink \($0.name)") }
        self.source = Transfer(value: source)
        self.segmenter = Transfer(value: segmenter)
        self.sinks = sinks.map { Transfer(value: $0) }
        initialBackground = background
        isLive = source.isLive
        self.fallbackSize = fallbackSize
        self.unavailableOverlay = unavailableOverlay
        self.logger = logger
    }

    /// Starts the threads; call once.
    public func start() {
        guard let source, let segmenter else { preconditionFailure("a pipeline starts once") }
        self.source = nil
        self.segmenter = nil
        let sinks = self.sinks
        self.sinks = []
        spawn("backdrop-source") { self.runSource(source.value) }
        spawn("backdrop-segment") { self.runSegmentation(segmenter.value) }
        spawn("backdrop-composite") {
            self.runCompositing(BackgroundRenderer(self.initialBackground, asynchronousScene: self.isLive))
        }
        for (index, sink) in sinks.enumerated() {
            spawn("backdrop-sink-\(index)") { self.runSink(sink.value, slot: self.sinkSlots[index], stats: self.sinkStats[index]) }
        }
    }

    /// Asks the source to stop; the frames already taken are still delivered and sinks finished.
    public func stop() {
        control.requestStop()
    }

    /// Blocks until every sink has finished (the source ended or `stop()` was called).
    public func wait() {
        finished.wait()
    }

    /// Waits up to `timeout` seconds; true when everything finished.
    public func wait(timeout: Double) -> Bool {
        finished.wait(timeout: .now() + timeout) == .success
    }

    /// Changes the background from the next frame on (the daemon's reload and `set background`).
    public func setBackground(_ background: Background) {
        control.setBackground(background)
    }

    /// Privacy curtain: while paused, sinks get background-only frames.
    public func setPaused(_ paused: Bool) {
        control.setPaused(paused)
    }

    public var isPaused: Bool { control.paused }

    public var stageSnapshots: [StageStats.Snapshot] {
        sourceStats.setDropped(captured.droppedCount)
        for (slot, stats) in zip(sinkSlots, sinkStats) { stats.setDropped(slot.droppedCount) }
        return [sourceStats.snapshot, segmentationStats.snapshot, compositingStats.snapshot] + sinkStats.map(\.snapshot)
    }

    // MARK: - Threads

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        finished.enter()
        let thread = Thread {
            body()
            self.finished.leave()
        }
        thread.name = name
        thread.start()
    }

    private func runSource(_ source: any FrameSource) {
        defer {
            source.close()
            captured.close()
        }
        while !control.stopRequested {
            let cpuStart = MonotonicClock.threadCPUTime()
            let event: SourceEvent?
            do {
                event = try source.next()
            } catch {
                logger.error("source failed; stopping", metadata: ["source": "\(source.name)", "error": "\(error)"])
                sourceStats.recordError()
                return
            }
            guard let event else { return }
            sourceStats.record(cpu: MonotonicClock.threadCPUTime() - cpuStart, latency: nil)
            if !captured.put(Captured(event: event, arrival: MonotonicClock.now())) { return }
        }
    }

    private func runSegmentation(_ segmenter: any FrameSegmenter) {
        defer { segmented.close() }
        var lastMask: Mask?
        var wasUnavailable = false
        while let item = captured.take() {
            let cpuStart = MonotonicClock.threadCPUTime()
            var out = Segmented(arrival: item.arrival)
            switch item.event {
            case let .unavailable(reason):
                out.unavailable = reason
                wasUnavailable = true
            case let .frame(frame):
                if wasUnavailable {
                    // A camera that came back may look at another room: start afresh.
                    segmenter.reset()
                    lastMask = nil
                    wasUnavailable = false
                }
                out.frame = frame
                do {
                    let mask = try segmenter.segment(frame)
                    lastMask = mask
                    out.mask = mask
                } catch {
                    segmentationStats.recordError()
                    logger.error("segmentation failed; this frame goes out fail-closed", metadata: ["error": "\(error)"])
                    out.mask = lastMask.flatMap { $0.width == frame.width && $0.height == frame.height ? $0 : nil }
                }
            }
            segmentationStats.record(cpu: MonotonicClock.threadCPUTime() - cpuStart, latency: MonotonicClock.now() - item.arrival)
            if !segmented.put(out) { return }
        }
    }

    private func runCompositing(_ initialRenderer: BackgroundRenderer) {
        defer { for slot in sinkSlots { slot.close() } }
        var renderer = initialRenderer
        let compositor = Compositor()
        var size = fallbackSize
        var timeBase = Rational(1, 30)
        var lastPts: Int64 = -1
        var lastArrival = 0.0
        while let item = segmented.take() {
            let cpuStart = MonotonicClock.threadCPUTime()
            if let background = control.takeBackgroundChange() {
                renderer = BackgroundRenderer(background, asynchronousScene: isLive)
            }
            let output: VideoFrame
            var original: VideoFrame?
            if let frame = item.frame, !control.paused {
                original = item.mask == nil ? nil : frame
                size = (frame.width, frame.height)
                timeBase = frame.timeBase
                lastPts = frame.pts
                let background = item.mask == nil && renderer.isBlur
                    ? Self.neutral(width: frame.width, height: frame.height)
                    : renderer.render(for: frame, alpha: item.mask)
                output = item.mask.map { compositor.composite(frame: frame, alpha: $0, background: background) }
                    ?? compositor.backgroundOnly(frame: frame, background: background)
            } else {
                // Unavailable camera or privacy curtain: the background alone, never the room.
                var curtainFrame = Self.neutral(width: size.width, height: size.height)
                if !renderer.isBlur { curtainFrame = renderer.render(for: curtainFrame, alpha: nil) }
                // Time keeps running while the camera is away, so sinks see increasing timestamps.
                let elapsed = lastArrival > 0 ? item.arrival - lastArrival : 0
                let step = max(1, Int64((elapsed / max(timeBase.doubleValue, 1e-6)).rounded()))
                lastPts = item.frame?.pts ?? (lastPts + step)
                curtainFrame.pts = lastPts
                curtainFrame.timeBase = timeBase
                if let reason = item.unavailable, let unavailableOverlay { unavailableOverlay(&curtainFrame, reason) }
                output = curtainFrame
            }
            lastArrival = item.arrival
            compositingStats.record(cpu: MonotonicClock.threadCPUTime() - cpuStart, latency: MonotonicClock.now() - item.arrival)
            let composited = Composited(frame: output, arrival: item.arrival, original: original,
                                        mask: original == nil ? nil : item.mask)
            for slot in sinkSlots { slot.put(composited) }
        }
    }

    private func runSink(_ sink: any FrameSink, slot: FrameSlot<Composited>, stats: StageStats) {
        while let item = slot.take() {
            let cpuStart = MonotonicClock.threadCPUTime()
            do {
                if let masked = sink as? any MaskedFrameSink, let original = item.original, let mask = item.mask {
                    try masked.write(frame: original, mask: mask)
                } else {
                    try sink.write(item.frame)
                }
                stats.record(cpu: MonotonicClock.threadCPUTime() - cpuStart, latency: MonotonicClock.now() - item.arrival)
                if let counting = sink as? any ByteCountingSink { stats.setBytes(counting.bytesSent) }
            } catch {
                // One failing sink (an unreachable peer, a full disk) must not stop the others.
                stats.recordError()
                stats.record(cpu: MonotonicClock.threadCPUTime() - cpuStart, latency: nil, out: false)
                logger.error("sink write failed", metadata: ["sink": "\(sink.name)", "error": "\(error)"])
            }
        }
        do {
            try sink.finish()
            // What the flush sent too.
            if let counting = sink as? any ByteCountingSink { stats.setBytes(counting.bytesSent) }
        } catch {
            stats.recordError()
            logger.error("sink finish failed", metadata: ["sink": "\(sink.name)", "error": "\(error)"])
        }
    }

    static func neutral(width: Int, height: Int) -> VideoFrame {
        VideoFrame(width: width, height: height, fillY: 110, fillU: 128, fillV: 128)
    }
}

/// Requests from other threads to the pipeline's threads.
final class PipelineControl: @unchecked Sendable {
    // Sendable by construction: guarded by `lock`.
    private let lock = NSLock()
    private var stop = false
    private var pendingBackground: Background?
    private var isPaused = false

    var stopRequested: Bool { lock.withLock { stop } }
    var paused: Bool { lock.withLock { isPaused } }

    func requestStop() { lock.withLock { stop = true } }
    func setPaused(_ value: Bool) { lock.withLock { isPaused = value } }
    func setBackground(_ background: Background) { lock.withLock { pendingBackground = background } }

    func takeBackgroundChange() -> Background? {
        lock.withLock {
            defer { pendingBackground = nil }
            return pendingBackground
        }
    }
}

extension BackgroundRenderer {
    var isBlur: Bool {
        if case .blur = background { return true }
        return false
    }
}
