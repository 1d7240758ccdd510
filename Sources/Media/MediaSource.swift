import BackdropCore
import Foundation
import Logging

/// A `FrameSource` over anything libavformat opens. A file is read as fast as the pipeline takes
/// frames unless `realtime` paces it at its frame rate; `loop` starts it again at the end with
/// timestamps that keep increasing. Network inputs are live by nature.
public final class MediaSource: FrameSource {
    public let name: String
    public let isLive: Bool
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var frameRate: Rational

    private var reader: MediaReader?
    private let realtime: Bool
    private let loop: Bool
    private let logger: Logger
    /// Added to every pts after a loop, so time never runs backwards.
    private var ptsOffset: Int64 = 0
    private var lastPts: Int64 = -1
    private var startClock: Double?
    private var startPts: Int64 = 0

    public init(url: String, realtime: Bool = false, loop: Bool = false, logger: Logger) throws {
        let reader = try MediaReader(url: url, logger: logger)
        self.reader = reader
        self.name = url
        self.realtime = realtime
        self.loop = loop
        self.logger = logger
        width = reader.width
        height = reader.height
        frameRate = reader.frameRate
        let networkSchemes = ["rtp://", "udp://", "srtp://", "rtsp://", "http://", "https://", "tcp://"]
        isLive = realtime || networkSchemes.contains { url.hasPrefix($0) }
    }

    public func next() throws -> SourceEvent? {
        while let reader {
            guard let item = try reader.next() else {
                guard loop, lastPts >= 0 else {
                    close()
                    return nil
                }
                // Reopen rather than seek: lavfi graphs and some containers cannot seek.
                ptsOffset = lastPts + 1
                self.reader = try MediaReader(url: name, logger: logger)
                continue
            }
            guard case var .video(frame) = item else { continue }
            frame.pts += ptsOffset
            lastPts = frame.pts
            if realtime { pace(frame) }
            return .frame(frame)
        }
        return nil
    }

    /// Sleeps until the frame's time comes, measured from the first frame.
    private func pace(_ frame: VideoFrame) {
        let now = MonotonicClock.now()
        guard let start = startClock else {
            startClock = now
            startPts = frame.pts
            return
        }
        let due = start + Double(frame.pts - startPts) * frame.timeBase.doubleValue
        if due > now { usleep(useconds_t(min(due - now, 1) * 1_000_000)) }
    }

    public func close() {
        reader = nil
    }
}
