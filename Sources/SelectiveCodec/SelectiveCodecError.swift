import CFFmpeg

/// What can go wrong encoding, sending, receiving or decoding a selective stream.
public enum SelectiveCodecError: Error, Equatable, CustomStringConvertible {
    case encoderMissing(name: String)
    case ffmpeg(operation: String, code: Int32, message: String)
    case invalidSize(width: Int, height: Int, reason: String)
    case invalidOption(name: String, value: String, expected: String)
    case unsupportedOutput(path: String)
    case openFailed(input: String, message: String)
    case noVideoStream(input: String)
    case finished(name: String)
    case sceneFailed(reason: String)

    public var description: String {
        switch self {
        case let .encoderMissing(name):
            return "encoder '\(name)' is not in this FFmpeg build; install libavcodec with libx264 (Debian: libavcodec59)"
        case let .ffmpeg(operation, code, message):
            return "\(operation) failed: \(message) (FFmpeg error \(code))"
        case let .invalidSize(width, height, reason):
            return "invalid picture size \(width)x\(height): \(reason)"
        case let .invalidOption(name, value, expected):
            return "\(name) '\(value)' is invalid: expected \(expected)"
        case let .unsupportedOutput(path):
            return "cannot write a selective stream to '\(path)': use a .mp4 or .mkv file, or rtp://HOST:PORT"
        case let .openFailed(input, message):
            return "cannot open '\(input)': \(message) (check the path, or that the SDP describes a reachable stream)"
        case let .noVideoStream(input):
            return "'\(input)' has no video stream"
        case let .finished(name):
            return "\(name) is already finished; make a new encoder to write more"
        case let .sceneFailed(reason):
            return "scene description failed: \(reason)"
        }
    }

    static func message(_ code: Int32) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            backdrop_av_strerror(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }

    static func ffmpeg(_ operation: String, _ code: Int32) -> SelectiveCodecError {
        .ffmpeg(operation: operation, code: code, message: message(code))
    }
}
