/// A picture in planar YUV 4:2:0 (BT.601 limited range, as decoders hand it over), owned by Swift memory.
///
/// Every stage after decoding works on this one layout: the model input and the composite
/// are made from it without a full-frame RGB round trip.
public struct VideoFrame: Sendable {
    public let width: Int
    public let height: Int
    /// Luma, `width * height` bytes, rows packed without padding.
    public var y: [UInt8]
    /// Chroma planes, `chromaWidth * chromaHeight` bytes each.
    public var u: [UInt8]
    public var v: [UInt8]
    /// Presentation time in `timeBase` units.
    public var pts: Int64
    public var timeBase: Rational

    public var chromaWidth: Int { (width + 1) / 2 }
    public var chromaHeight: Int { (height + 1) / 2 }

    public init(width: Int, height: Int, y: [UInt8], u: [UInt8], v: [UInt8], pts: Int64 = 0,
                timeBase: Rational = Rational(1, 30)) {
        precondition(width > 0 && height > 0, "frame size must be positive")
        precondition(y.count == width * height, "luma plane size mismatch")
        let chroma = ((width + 1) / 2) * ((height + 1) / 2)
        precondition(u.count == chroma && v.count == chroma, "chroma plane size mismatch")
        self.width = width
        self.height = height
        self.y = y
        self.u = u
        self.v = v
        self.pts = pts
        self.timeBase = timeBase
    }

    /// A frame filled with one YUV colour.
    public init(width: Int, height: Int, fillY: UInt8, fillU: UInt8, fillV: UInt8, pts: Int64 = 0,
                timeBase: Rational = Rational(1, 30)) {
        let chroma = ((width + 1) / 2) * ((height + 1) / 2)
        self.init(width: width, height: height,
                  y: [UInt8](repeating: fillY, count: width * height),
                  u: [UInt8](repeating: fillU, count: chroma),
                  v: [UInt8](repeating: fillV, count: chroma), pts: pts, timeBase: timeBase)
    }

    /// Presentation time in seconds.
    public var seconds: Double { Double(pts) * timeBase.doubleValue }
}
