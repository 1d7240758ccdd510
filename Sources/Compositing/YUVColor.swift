/// One colour in the frame's space: BT.601 limited range (Y 16...235, U/V 16...240).
public struct YUVColor: Sendable, Equatable, CustomStringConvertible {
    public var y: UInt8
    public var u: UInt8
    public var v: UInt8

    public init(y: UInt8, u: UInt8, v: UInt8) {
        self.y = y
        self.u = u
        self.v = v
    }

    /// Converts full-range 8-bit RGB with the BT.601 matrix, rounded to nearest.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        // Kr = 0.299, Kb = 0.114; Y scaled to 219 steps, chroma to 224, both over 255.
        let r = Double(red), g = Double(green), b = Double(blue)
        let y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
        let u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255
        let v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255
        func byte(_ x: Double) -> UInt8 { UInt8(Swift.min(255, Swift.max(0, x.rounded()))) }
        self.init(y: byte(y), u: byte(u), v: byte(v))
    }

    public var description: String { "YUV(\(y), \(u), \(v))" }
}
