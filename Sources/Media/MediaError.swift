import CFFmpeg

/// Everything that can go wrong reading, writing or converting media, with enough detail to act on.
public enum MediaError: Error, CustomStringConvertible, Equatable {
    case openFailed(path: String, message: String)
    case noVideoStream(path: String)
    case decoderMissing(path: String, codec: String)
    case unsupportedContainer(path: String, allowed: [String])
    case encoderMissing(name: String)
    case decodeFailed(path: String, code: Int32, message: String)
    case encodeFailed(path: String, code: Int32, message: String)
    case writeFailed(path: String, code: Int32, message: String)
    case frameSizeMismatch(expectedWidth: Int, expectedHeight: Int, width: Int, height: Int)
    case invalidSize(width: Int, height: Int, reason: String)
    case scalerUnavailable(from: String, to: String)
    case writerFinished(path: String)
    case ffmpeg(operation: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case let .openFailed(path, message):
            return "cannot open '\(path)': \(message) (check that it exists, is readable and is a media file or URL FFmpeg understands)"
        case let .noVideoStream(path):
            return "'\(path)' has no video stream (give a video file, device or lavfi graph with a video output)"
        case let .decoderMissing(path, codec):
            return "no decoder for codec '\(codec)' in '\(path)' (this FFmpeg build lacks it; transcode the file or install a fuller FFmpeg)"
        case let .unsupportedContainer(path, allowed):
            return "cannot write '\(path)': unsupported container; use one of \(allowed.map { "." + $0 }.joined(separator: ", "))"
        case let .encoderMissing(name):
            return "encoder '\(name)' is not available in this FFmpeg build (on Debian install libavcodec59 with libx264 support)"
        case let .decodeFailed(path, code, message):
            return "decoding '\(path)' failed: \(message) (FFmpeg error \(code)); the input may be corrupt"
        case let .encodeFailed(path, code, message):
            return "encoding for '\(path)' failed: \(message) (FFmpeg error \(code))"
        case let .writeFailed(path, code, message):
            return "writing '\(path)' failed: \(message) (FFmpeg error \(code)); check free space and permissions"
        case let .frameSizeMismatch(ew, eh, w, h):
            return "frame is \(w)x\(h) but the output is \(ew)x\(eh); resize it first (PixelScaler.resize)"
        case let .invalidSize(width, height, reason):
            return "invalid picture size \(width)x\(height): \(reason)"
        case let .scalerUnavailable(from, to):
            return "swscale cannot convert \(from) to \(to) (unsupported pixel format or size)"
        case let .writerFinished(path):
            return "'\(path)' is already finished; create a new MediaWriter to write more"
        case let .ffmpeg(operation, code, message):
            return "\(operation) failed: \(message) (FFmpeg error \(code))"
        }
    }

    /// FFmpeg's own text for an error code.
    static func message(_ code: Int32) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            backdrop_av_strerror(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }

    /// A generic FFmpeg failure for `operation`.
    static func ffmpeg(_ operation: String, _ code: Int32) -> MediaError {
        .ffmpeg(operation: operation, code: code, message: message(code))
    }
}
