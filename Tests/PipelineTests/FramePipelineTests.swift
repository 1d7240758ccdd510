import BackdropCore
import Compositing
import Foundation
import Logging
import Pipeline
import Testing

@Suite struct FramePipelineTests {
    let logger = Logger(label: "test")
    let red = YUVColor(red: 255, green: 0, blue: 0)

    func run(_ pipeline: FramePipeline) {
        pipeline.start()
        #expect(pipeline.wait(timeout: 30), "pipeline did not finish")
    }

    @Test func aFileSourceLosesNoFrameEvenWithASlowSink() {
        let fast = CollectingSink(name: "fast"), slow = CollectingSink(name: "slow", delay: 0.005)
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(40), isLive: false),
                                     segmenter: FakeSegmenter(delay: 0.002), sinks: [fast, slow],
                                     background: .color(red), logger: logger)
        run(pipeline)
        for sink in [fast, slow] {
            #expect(sink.received.map(\.pts) == (0..<40).map(Int64.init))
            #expect(sink.finished)
        }
        #expect(pipeline.stageSnapshots.allSatisfy { $0.dropped == 0 })
    }

    /// A live source faster than segmentation: frames are dropped at the source and counted,
    /// nothing queues up, and every frame that goes out was segmented.
    @Test func aLiveSourceDropsAtTheSourceWhenSegmentationFallsBehind() {
        let sink = CollectingSink()
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(60), isLive: true, interval: 0.002),
                                     segmenter: FakeSegmenter(delay: 0.010), sinks: [sink],
                                     background: .color(red), logger: logger)
        run(pipeline)
        let stats = pipeline.stageSnapshots
        let sourceDrops = stats.first { $0.name == "source" }!.dropped
        #expect(sourceDrops > 10, "\(stats)")
        // Each of the 60 frames was either delivered or dropped at the source, none elsewhere.
        #expect(sink.received.count + sourceDrops == 60, "received \(sink.received.count), dropped \(sourceDrops)")
        #expect(stats.filter { $0.name != "source" }.allSatisfy { $0.dropped == 0 })
        // In order, no frame twice: drops skip ahead, never back.
        let pts = sink.received.map(\.pts)
        #expect(pts == pts.sorted() && Set(pts).count == pts.count)
    }

    @Test func aSlowSinkDoesNotHoldBackAFastOne() {
        let fast = CollectingSink(name: "fast"), slow = CollectingSink(name: "slow", delay: 0.030)
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(50), isLive: true, interval: 0.005),
                                     segmenter: FakeSegmenter(), sinks: [fast, slow],
                                     background: .color(red), logger: logger)
        run(pipeline)
        // The slow sink can take at most one frame per 30 ms; the fast one keeps up with the source.
        #expect(fast.received.count >= 2 * slow.received.count, "fast \(fast.received.count), slow \(slow.received.count)")
        #expect(slow.received.count < 50)
    }

    @Test func sinksThatCountBytesReportThemByCategory() {
        let counting = CountingSink(), plain = CollectingSink()
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(12), isLive: false),
                                     segmenter: FakeSegmenter(), sinks: [counting, plain],
                                     background: .color(red), logger: logger)
        run(pipeline)
        let stats = pipeline.stageSnapshots
        #expect(stats.first { $0.name == "sink counting" }?.bytes == ["picture": 12 * 32 * 24, "mask": 12])
        #expect(stats.first { $0.name == "sink collect" }?.bytes == nil)
        #expect(stats.first { $0.name == "source" }?.bytes == nil)
    }

    @Test func segmentationFailureNeverShowsTheRoom() {
        let sink = CollectingSink()
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(3), isLive: false),
                                     segmenter: FakeSegmenter(failing: [0]), sinks: [sink],
                                     background: .color(red), logger: logger)
        run(pipeline)
        let frames = sink.received
        #expect(frames.count == 3)
        #expect(frames[0].y.allSatisfy { $0 == red.y } && frames[0].v.allSatisfy { $0 == red.v })
        #expect(frames[1].y.allSatisfy { $0 == 17 })  // the person (all-person mask) of frame 1
    }

    @Test func anUnavailableCameraGivesBackgroundFramesWithRunningTime() {
        var events = ScriptedSource.frames(2)
        events += [.unavailable(reason: "unplugged"), .unavailable(reason: "unplugged")]
        events += ScriptedSource.frames(1)
        let sink = CollectingSink()
        let pipeline = FramePipeline(source: ScriptedSource(events: events, isLive: false),
                                     segmenter: FakeSegmenter(), sinks: [sink],
                                     background: .color(red), logger: logger)
        run(pipeline)
        let frames = sink.received
        #expect(frames.count == 5)
        #expect(frames[2].y.allSatisfy { $0 == red.y } && frames[3].width == 32)
        #expect(frames[3].pts > frames[2].pts && frames[2].pts > frames[1].pts)
    }

    @Test func pauseAndBackgroundChangesApplyToLaterFrames() {
        let blue = YUVColor(red: 0, green: 0, blue: 255)
        let sink = CollectingSink()
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(1), isLive: false),
                                     segmenter: FakeSegmenter(), sinks: [sink], background: .color(red), logger: logger)
        pipeline.setPaused(true)
        pipeline.setBackground(.color(blue))
        run(pipeline)
        #expect(sink.received.first?.y.allSatisfy { $0 == blue.y } == true)
    }

    @Test func stopEndsALiveSourceAndFinishesTheSinks() {
        let sink = CollectingSink()
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(10_000), isLive: true, interval: 0.002),
                                     segmenter: FakeSegmenter(), sinks: [sink], background: .color(red), logger: logger)
        pipeline.start()
        usleep(100_000)
        pipeline.stop()
        #expect(pipeline.wait(timeout: 10))
        #expect(sink.finished)
        #expect(sink.received.count > 5 && sink.received.count < 10_000)
    }
}

/// A sink that composites at the far end: it must get the captured frame and its mask, and
/// only the background-only composite when there is no mask.
final class MaskedCollectingSink: MaskedFrameSink, @unchecked Sendable {
    let name = "masked"
    private let lock = NSLock()
    private(set) var withMask: [Int64] = []
    private(set) var composites: [VideoFrame] = []

    func write(frame: VideoFrame, mask: Mask) throws { lock.withLock { withMask.append(frame.pts) } }
    func write(_ frame: VideoFrame) throws { lock.withLock { composites.append(frame) } }
    func finish() throws {}
}

@Suite struct MaskedSinkTests {
    @Test func maskedSinksGetTheFrameAndMaskOrFailClosed() {
        let red = YUVColor(red: 255, green: 0, blue: 0)
        let sink = MaskedCollectingSink()
        let pipeline = FramePipeline(source: ScriptedSource(events: ScriptedSource.frames(4), isLive: false),
                                     segmenter: FakeSegmenter(failing: [0]), sinks: [sink],
                                     background: .color(red), logger: Logger(label: "test"))
        pipeline.start()
        #expect(pipeline.wait(timeout: 30))
        #expect(sink.withMask == [1, 2, 3])
        #expect(sink.composites.count == 1)
        #expect(sink.composites.first?.y.allSatisfy { $0 == red.y } == true)
    }
}
