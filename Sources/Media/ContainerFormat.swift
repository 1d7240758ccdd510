/// The output containers `MediaWriter` supports, chosen by file extension.
public enum ContainerFormat: String, CaseIterable, Sendable {
    case mp4
    case mkv
    case y4m

    /// The container for `path`'s extension, or nil when it is not one we write.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }

    /// The libavformat muxer name.
    var muxer: String {
        switch self {
        case .mp4: return "mp4"
        case .mkv: return "matroska"
        case .y4m: return "yuv4mpegpipe"
        }
    }

    /// The video encoder. FFmpeg 5.1's yuv4mpegpipe muxer refuses `rawvideo` ("Codec not
    /// supported") and takes only `wrapped_avframe`.
    var encoder: String {
        switch self {
        case .mp4, .mkv: return "libx264"
        case .y4m: return "wrapped_avframe"
        }
    }
}
