import BackdropCore
import Foundation
import Logging

/// A V4L2 camera as a live frame source: negotiates format, size and frame rate, streams through
/// mmap buffers, converts YUYV, NV12, YU12 and MJPEG to yuv420p, and stamps each frame with the
/// driver's capture time (microseconds since the first frame).
///
/// When the camera goes away mid-stream (unplugged, driver reset, no frame for `frameTimeout`),
/// `next()` returns `.unavailable` instead of failing, and each later call waits out a growing
/// backoff, tries to reopen it (by name, the camera may come back under another node), and
/// returns `.unavailable` again until it is back; then frames resume. Use from one thread.
public final class V4L2CameraSource: FrameSource {
    /// The unit of every frame's `pts`: microseconds, as the driver's timestamps come.
    public static let timeBase = Rational(1, 1_000_000)

    public let name: String
    public let isLive = true
    public let selector: CameraSelector
    public let request: CaptureRequest
    /// Frames skipped because the driver flagged them or they would not decode.
    public private(set) var skippedFrames = 0
    /// Times the camera was lost and found again.
    public private(set) var reconnections = 0
    /// What the driver agreed to on the latest (re)connection.
    public private(set) var format: CaptureFormat
    /// The node of the latest connection (by name, it may change on reconnection).
    public private(set) var devicePath: String
    /// The card name the driver reports.
    public private(set) var card: String

    private let opener: CameraOpener
    private let frameTimeout: Double
    private let sleep: (Double) -> Void
    private let logger: Logger
    private var backoff: Backoff
    private var stream: CaptureStream?
    private var decoder: FrameDecoder?
    private var lostBecause: String?
    private var origin: Int64?
    private var lastPts: Int64?
    private var closed = false

    /// Opens and starts the camera; throws when it cannot (missing, not a camera, no usable
    /// format): at start a user wants to hear about that, not to wait.
    ///
    /// - Parameters:
    ///   - sleep: how backoff waits; tests pass one that records the delays instead.
    public init(_ selector: CameraSelector, request: CaptureRequest = CaptureRequest(),
                provider: any V4L2DeviceProvider = LibV4L2Provider(), backoff: Backoff = Backoff(),
                frameTimeout: Double = 5, sleep: @escaping (Double) -> Void = { Thread.sleep(forTimeInterval: $0) },
                logger: Logger) throws(CaptureError) {
        self.selector = selector
        self.request = request
        self.name = selector.description
        self.opener = CameraOpener(provider: provider)
        self.backoff = backoff
        self.frameTimeout = frameTimeout
        self.sleep = sleep
        self.logger = logger
        let stream = try Self.connect(opener, selector, request, logger)
        (format, devicePath, card) = (stream.format, stream.device.path, stream.card)
        self.stream = stream
        decoder = FrameDecoder(format: stream.format)
    }

    /// Whether frames are flowing (false between a loss and the camera's return).
    public var isConnected: Bool { stream != nil }

    public func next() throws -> SourceEvent? {
        while !closed {
            guard let stream, let decoder else {
                if let event = reconnect() { return event }
                continue
            }
            let outcome: Result<VideoFrame, FrameDecodeError>?
            do {
                outcome = try stream.withNextBuffer(timeout: frameTimeout) { buffer in
                    if buffer.isDamaged { return .failure(.damaged) }
                    return Result { () throws(FrameDecodeError) in
                        try decoder.decode(buffer.bytes, pts: pts(for: buffer.timestamp), timeBase: Self.timeBase)
                    }
                }
            } catch {
                return lose("\(stream.device.path) stopped delivering frames (\(error))")
            }
            switch outcome {
            case nil:
                return lose("no frame from \(stream.device.path) for \(frameTimeout) s")
            case let .success(frame)?:
                return .frame(frame)
            case let .failure(error)?:
                skippedFrames += 1
                let message = "skipped a frame from \(stream.device.path): \(error)"
                if skippedFrames <= 10 { logger.warning("\(message)") } else { logger.debug("\(message)") }
            }
        }
        return nil
    }

    public func close() {
        closed = true
        stream?.stop()
        stream = nil
        decoder = nil
    }

    private static func connect(_ opener: CameraOpener, _ selector: CameraSelector, _ request: CaptureRequest,
                                _ logger: Logger) throws(CaptureError) -> CaptureStream {
        let (device, card) = try opener.open(selector)
        return try CaptureStream(device: device, card: card, request: request, logger: logger)
    }

    /// Waits out the backoff and tries once; an event when the camera is still away.
    private func reconnect() -> SourceEvent? {
        sleep(backoff.next())
        do {
            let stream = try Self.connect(opener, selector, request, logger)
            (format, devicePath, card) = (stream.format, stream.device.path, stream.card)
            self.stream = stream
            decoder = FrameDecoder(format: stream.format)
        } catch {
            logger.debug("\(name) still unavailable: \(error)")
            return .unavailable(reason: "\(lostBecause ?? "\(name) is unavailable"); still away: \(error)")
        }
        reconnections += 1
        backoff.reset()
        logger.notice("\(name) is back (\(devicePath)): \(format)")
        return nil
    }

    private func lose(_ reason: String) -> SourceEvent {
        stream?.stop()
        stream = nil
        decoder = nil
        lostBecause = reason
        backoff.reset()
        logger.warning("\(reason); reopening with backoff")
        return .unavailable(reason: reason)
    }

    /// Microseconds since the first frame ever delivered, strictly increasing (encoders and
    /// muxers downstream need that), from the driver's timestamp or, lacking one, the clock.
    private func pts(for timestamp: Int64?) -> Int64 {
        let now = timestamp ?? Int64(MonotonicClock.now() * 1_000_000)
        let origin = self.origin ?? now
        self.origin = origin
        var pts = now - origin
        if let last = lastPts, pts <= last { pts = last + 1 }
        lastPts = pts
        return pts
    }
}
