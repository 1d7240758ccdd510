import BackdropCore
import Foundation
import Segmentation

/// A source that plays a script of events, optionally at a fixed interval, like a camera would.
final class ScriptedSource: FrameSource {
    let name = "scripted"
    let isLive: Bool
    private var events: [SourceEvent]
    private let interval: Double
    private var due = 0.0

    init(events: [SourceEvent], isLive: Bool, interval: Double = 0) {
        self.events = events
        self.isLive = isLive
        self.interval = interval
    }

    func next() throws -> SourceEvent? {
        guard !events.isEmpty else { return nil }
        if interval > 0 {
            let now = MonotonicClock.now()
            if due > now { usleep(useconds_t((due - now) * 1_000_000)) }
            due = max(due, now) + interval
        }
        return events.removeFirst()
    }

    func close() { events.removeAll() }

    /// Frames whose luma is their index, so a sink can tell which arrived.
    static func frames(_ count: Int, width: Int = 32, height: Int = 24) -> [SourceEvent] {
        (0..<count).map { i in
            .frame(VideoFrame(width: width, height: height, fillY: UInt8(16 + i % 200), fillU: 90, fillV: 200, pts: Int64(i)))
        }
    }
}

/// A segmenter that calls every pixel "person", after an optional delay, failing on chosen frames.
final class FakeSegmenter: FrameSegmenter {
    var lastTimings = PersonSegmenter.Timings()
    private let delay: Double
    private let failing: Set<Int>
    private var calls = 0

    init(delay: Double = 0, failing: Set<Int> = []) {
        self.delay = delay
        self.failing = failing
    }

    struct Failure: Error {}

    func segment(_ frame: VideoFrame) throws -> Mask {
        defer { calls += 1 }
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        if failing.contains(calls) { throw Failure() }
        return Mask(width: frame.width, height: frame.height, fill: 1)
    }

    func reset() {}
}

/// A sink that keeps what it gets (thread-safe: the test reads it from another thread).
final class CollectingSink: FrameSink, @unchecked Sendable {
    let name: String
    private let delay: Double
    private let lock = NSLock()
    private var frames: [VideoFrame] = []
    private(set) var finished = false

    init(name: String = "collect", delay: Double = 0) {
        self.name = name
        self.delay = delay
    }

    func write(_ frame: VideoFrame) throws {
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        lock.withLock { frames.append(frame) }
    }

    func finish() throws { lock.withLock { finished = true } }

    var received: [VideoFrame] { lock.withLock { frames } }
}

/// A sink that counts the bytes of the luma it is given as "picture", and one byte per frame as
/// "mask", like a selective sink's categories.
final class CountingSink: ByteCountingSink, @unchecked Sendable {
    let name = "counting"
    private var counts: [String: Int] = [:]

    func write(_ frame: VideoFrame) throws {
        counts["picture", default: 0] += frame.width * frame.height
        counts["mask", default: 0] += 1
    }

    func finish() throws {}

    var bytesSent: [String: Int] { counts }
}
