/// A per-pixel person probability in [0, 1], row-major.
public struct Mask: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(width > 0 && height > 0, "mask size must be positive")
        precondition(values.count == width * height, "mask buffer size mismatch")
        self.width = width
        self.height = height
        self.values = values
    }

    public init(width: Int, height: Int, fill: Float = 0) {
        self.init(width: width, height: height, values: [Float](repeating: fill, count: width * height))
    }

    /// Fraction of pixels whose probability is above `threshold`.
    public func coverage(above threshold: Float = 0.5) -> Double {
        var count = 0
        for v in values where v > threshold { count += 1 }
        return Double(count) / Double(values.count)
    }
}
