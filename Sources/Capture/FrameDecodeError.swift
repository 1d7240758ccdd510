/// Why one captured frame could not be turned into a picture; the frame is skipped, the stream goes on.
enum FrameDecodeError: Error, CustomStringConvertible {
    case truncated(bytes: Int, needed: Int)
    case jpeg(String)
    /// The driver flagged the buffer (V4L2_BUF_FLAG_ERROR): a USB hiccup, usually.
    case damaged

    var description: String {
        switch self {
        case let .truncated(bytes, needed): "the frame has \(bytes) bytes, \(needed) needed"
        case let .jpeg(message): "JPEG decoding failed: \(message)"
        case .damaged: "the driver marked it damaged"
        }
    }
}
