import CFFmpeg

/// What went wrong setting up or running an RTP/SRTP sender or receiver, and what to do about it.
public enum StreamingError: Error, CustomStringConvertible, Equatable {
    case notAnRTPAddress(String)
    case invalidOption(name: String, value: String, expected: String)
    case unknownOption(name: String, known: [String])
    case keyFileUnreadable(path: String, reason: String)
    case invalidKey(path: String, reason: String)
    case encoderMissing(name: String)
    /// An FFmpeg call failed (encoding, decoding, converting, allocating).
    case ffmpeg(operation: String, code: Int32, message: String)
    case sendFailed(url: String, code: Int32, message: String)
    case sdpFailed(path: String, reason: String)
    case inputFailed(input: String, code: Int32, message: String)
    case noVideoStream(input: String, reason: String)
    case finished(name: String)

    public var description: String {
        switch self {
        case let .notAnRTPAddress(text):
            return "'\(text)' is not an RTP address; use rtp://HOST:PORT or srtp://HOST:PORT?key=FILE"
        case let .invalidOption(name, value, expected):
            return "RTP option \(name)=\(value) is invalid: expected \(expected)"
        case let .unknownOption(name, known):
            return "unknown RTP option '\(name)'; known options: \(known.joined(separator: ", "))"
        case let .keyFileUnreadable(path, reason):
            return "cannot read the SRTP key file '\(path)': \(reason) "
                + "(make one with: head -c 30 /dev/urandom | base64 > \(path); chmod 600 \(path))"
        case let .invalidKey(path, reason):
            return "the SRTP key file '\(path)' is invalid: \(reason); it must hold one base64 line of 30 bytes "
                + "(16-byte master key + 14-byte salt, 40 characters); make one with: head -c 30 /dev/urandom | base64 > \(path)"
        case let .encoderMissing(name):
            return "encoder '\(name)' is not in this FFmpeg build (on Debian: apt install libavcodec59; check with backdrop doctor)"
        case let .ffmpeg(operation, code, message):
            return "\(operation) failed: \(message) (FFmpeg error \(code))"
        case let .sendFailed(url, code, message):
            return "cannot send to \(url): \(message) (FFmpeg error \(code)); check the host name and that the port is free"
        case let .sdpFailed(path, reason):
            return "cannot write the SDP file '\(path)': \(reason); check the directory exists and is writable"
        case let .inputFailed(input, code, message):
            return "cannot receive from '\(input)': \(message) (FFmpeg error \(code)); give a complete SDP file "
                + "(as written by backdrop --sdp or ffmpeg -sdp_file) or rtp://HOST:PORT[?codec=h264|vp9] with a free port"
        case let .noVideoStream(input, reason):
            return "'\(input)' describes no video stream Backdrop can decode (\(reason)); H.264 and VP9 are supported"
        case let .finished(name):
            return "\(name) is already finished; create a new sink to send more"
        }
    }

    /// `.ffmpeg` for `operation` with FFmpeg's text for `code`.
    static func ffmpeg(_ operation: String, _ code: Int32) -> StreamingError {
        .ffmpeg(operation: operation, code: code, message: message(code))
    }

    /// FFmpeg's own text for an error code.
    static func message(_ code: Int32) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            backdrop_av_strerror(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }
}
