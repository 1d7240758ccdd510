import BackdropCore
import Capture
import Foundation
import Logging

/// Fake cameras fed with ffmpeg-made frames, shared by the capture tests.
enum CaptureFixtures {
    static let small = FrameSize(width: 320, height: 240)

    /// ffmpeg renders are slow-ish: make each size once per test process.
    private static let cache = FrameCache()

    static func frames(_ size: FrameSize = small, count: Int = 8) throws -> FFmpegFrames {
        try cache.frames(size, count: count)
    }

    /// A camera whose frames (any of its formats) come from `frames`, cycling; sizes other than
    /// the rendered one get that size's own render.
    static func camera(_ modes: [FakeCamera.Mode], card: String = "Fake Camera") throws -> FakeCamera {
        let camera = FakeCamera(modes: modes) { format, size, sequence in
            guard let rendered = try? cache.frames(size, count: 8), let payloads = rendered.payloads[format.description] else {
                return []
            }
            return payloads[sequence % payloads.count]
        }
        camera.card = card
        return camera
    }

    static func mode(_ format: PixelFormat, _ sizes: [FrameSize] = [small], rates: [Int] = [30, 15]) -> FakeCamera.Mode {
        FakeCamera.Mode(format: format, description: describe(format), sizes: sizes, frameRates: rates)
    }

    static func describe(_ format: PixelFormat) -> String {
        switch format {
        case .yuyv: "YUYV 4:2:2"
        case .mjpeg: "Motion-JPEG"
        case .nv12: "Y/UV 4:2:0"
        case .yuv420: "Planar YUV 4:2:0"
        default: format.description
        }
    }

    /// Pulls `count` events from a source.
    static func events(_ source: V4L2CameraSource, count: Int) throws -> [SourceEvent] {
        var events: [SourceEvent] = []
        while events.count < count, let event = try source.next() { events.append(event) }
        return events
    }

    static func frames(of events: [SourceEvent]) -> [VideoFrame] {
        events.compactMap { if case let .frame(frame) = $0 { frame } else { nil } }
    }
}

/// Thread-safe memo of ffmpeg renders (tests run in parallel).
private final class FrameCache: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var renders: [FrameSize: FFmpegFrames] = [:]

    func frames(_ size: FrameSize, count: Int) throws -> FFmpegFrames {
        lock.lock()
        defer { lock.unlock() }
        if let cached = renders[size], cached.reference.count >= count { return cached }
        let rendered = try FFmpegFrames(width: size.width, height: size.height, count: count)
        renders[size] = rendered
        return rendered
    }
}
