/// A tiny Y'CbCr 4:4:4 picture of the plate (level 2 only): it sends coarse room detail, so it
/// is opt-in.
public struct PlateThumbnail: Sendable, Equatable {
    public static let maximumSide = 64

    public let width: Int
    public let height: Int
    public var y: [UInt8]
    public var u: [UInt8]
    public var v: [UInt8]

    public init(width: Int, height: Int, y: [UInt8], u: [UInt8], v: [UInt8]) {
        precondition(width > 0 && height > 0 && width <= Self.maximumSide && height <= Self.maximumSide,
                     "thumbnail size")
        precondition(y.count == width * height && u.count == y.count && v.count == y.count, "thumbnail planes")
        self.width = width
        self.height = height
        self.y = y
        self.u = u
        self.v = v
    }
}
