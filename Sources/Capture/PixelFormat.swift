import CV4L2

/// A V4L2 pixel format code (a fourcc such as `YUYV` or `MJPG`).
public struct PixelFormat: Hashable, Sendable, CustomStringConvertible {
    public let code: UInt32

    public init(code: UInt32) {
        self.code = code
    }

    /// From its four characters, e.g. `PixelFormat("YUYV")`; nil unless exactly four ASCII characters.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 4, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return nil }
        code = bytes.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    public static let yuyv = PixelFormat(code: backdrop_v4l2_pix_fmt_yuyv())
    public static let mjpeg = PixelFormat(code: backdrop_v4l2_pix_fmt_mjpeg())
    /// Plain JPEG: some cameras call their MJPEG stream this.
    public static let jpeg = PixelFormat(code: backdrop_v4l2_pix_fmt_jpeg())
    public static let nv12 = PixelFormat(code: backdrop_v4l2_pix_fmt_nv12())
    /// Planar 4:2:0 (`YU12`), the layout of `VideoFrame` itself.
    public static let yuv420 = PixelFormat(code: backdrop_v4l2_pix_fmt_yuv420())

    /// The formats a camera source can turn into frames, cheapest first: packed and semi-planar
    /// YUV are copied, JPEG has to be decoded.
    public static let decodable: [PixelFormat] = [.yuyv, .nv12, .yuv420, .mjpeg, .jpeg]

    public var isDecodable: Bool { Self.decodable.contains(self) }
    var isCompressed: Bool { self == .mjpeg || self == .jpeg }

    /// The four characters, trailing spaces trimmed (`"MJPG"`, `"Y10 "` → `"Y10"`).
    public var description: String {
        let characters = (0..<4).map { UInt8(truncatingIfNeeded: code >> (8 * UInt32($0))) }
        guard characters.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return "0x" + String(code, radix: 16) }
        return String(decoding: characters, as: UTF8.self).trimmingSuffix(" ")
    }
}

private extension String {
    func trimmingSuffix(_ character: Character) -> String {
        var result = self
        while result.last == character { result.removeLast() }
        return result
    }
}
