import BackdropCore
import Capture
import Logging

extension SourceFactory {
    /// A V4L2 camera by path (`/dev/video0`, `/dev/v4l/by-id/...`) or by name (`camera:NAME`).
    static func makeCamera(_ input: String, logger: Logger) throws -> any FrameSource {
        guard let selector = CameraSelector(input: input) else {
            throw CaptureError.deviceNotFound(device: input, available: [])
        }
        return try V4L2CameraSource(selector, request: CaptureRequest(width: 1280, height: 720, frameRate: 30), logger: logger)
    }
}
