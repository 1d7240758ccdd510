import CV4L2

/// The pixel layouts the virtual camera can carry.
public enum LoopbackFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Packed 4:2:2, what every call app reads; the default.
    case yuyv
    /// Planar 4:2:0 (`YU12`/I420): Backdrop's own layout, a third less to write, fewer apps accept it.
    case yuv420

    /// From a name: `yuyv`/`yuy2`, or `yuv420`/`yu12`/`i420` (any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "yuyv", "yuy2", "yuyv422": self = .yuyv
        case "yuv420", "yu12", "i420", "yuv420p": self = .yuv420
        default: return nil
        }
    }

    public var fourcc: UInt32 {
        switch self {
        case .yuyv: backdrop_v4l2_pix_fmt_yuyv()
        case .yuv420: backdrop_v4l2_pix_fmt_yuv420()
        }
    }

    init?(fourcc: UInt32) {
        guard let format = Self.allCases.first(where: { $0.fourcc == fourcc }) else { return nil }
        self = format
    }

    /// The fourcc as V4L2 tools print it.
    public var description: String {
        switch self {
        case .yuyv: "YUYV"
        case .yuv420: "YU12"
        }
    }

    /// Bytes per line and per image for a tight `width` x `height` picture.
    func tightLayout(width: Int, height: Int) -> (bytesPerLine: Int, imageSize: Int) {
        switch self {
        case .yuyv: (width * 2, width * 2 * height)
        case .yuv420: (width, width * height + 2 * (width / 2) * (height / 2))
        }
    }
}

/// Prints a fourcc code such as 0x56595559 as "YUYV".
func fourccText(_ code: UInt32) -> String {
    let bytes = (0..<4).map { UInt8(truncatingIfNeeded: code >> (8 * UInt32($0))) }
    guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return "0x" + String(code, radix: 16) }
    return String(decoding: bytes, as: UTF8.self)
}
