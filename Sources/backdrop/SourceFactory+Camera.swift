import BackdropCore
import Logging

extension SourceFactory {
    struct CameraUnavailable: Error, CustomStringConvertible {
        let input: String
        var description: String { "camera '\(input)': V4L2 capture is not available in this build" }
    }

    static func makeCamera(_ input: String, logger: Logger) throws -> any FrameSource {
        throw CameraUnavailable(input: input)
    }
}
