import BackdropCore
import Foundation

/// A live source that replays frames already in memory at a fixed rate, like a camera that
/// costs nothing to read: benchmarks use it so the source's own decoding is excluded.
public final class ReplaySource: FrameSource {
    public let name: String
    public let isLive = true
    private let frames: [VideoFrame]
    private let interval: Double
    private let count: Int
    private var index = 0
    private var due: Double?

    /// Replays `frames` in a loop, `count` frames in all, at `rate` frames per second.
    public init(frames: [VideoFrame], rate: Double, count: Int, name: String = "replay") {
        precondition(!frames.isEmpty && rate > 0, "a replay needs frames and a positive rate")
        self.frames = frames
        self.interval = 1 / rate
        self.count = count
        self.name = name
    }

    public func next() throws -> SourceEvent? {
        guard index < count else { return nil }
        let now = MonotonicClock.now()
        let target = due ?? now
        if target > now { usleep(useconds_t((target - now) * 1_000_000)) }
        due = max(target, now - interval) + interval
        var frame = frames[index % frames.count]
        frame.pts = Int64(index)
        frame.timeBase = Rational(1, Int32((1 / interval).rounded()))
        index += 1
        return .frame(frame)
    }

    public func close() {
        index = count
    }
}
