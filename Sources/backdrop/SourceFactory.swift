import BackdropCore
import Capture
import Logging
import Media

/// Turns an input name into a source: a V4L2 camera for `/dev/video*` or `camera:NAME`,
/// anything libavformat opens otherwise.
enum SourceFactory {
    static func make(_ input: String, realtime: Bool, loop: Bool, logger: Logger) throws -> any FrameSource {
        if isCamera(input) { return try makeCamera(input, logger: logger) }
        return try MediaSource(url: input, realtime: realtime, loop: loop, logger: logger)
    }

    static func isCamera(_ input: String) -> Bool {
        CameraSelector(input: input) != nil
    }
}
