/// A seeded pseudo-random generator (Steele et al.'s SplitMix64) for test data: the same
/// sequence on every run, so a failure can be replayed from its seed.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (the modulo bias is irrelevant for test data).
    public mutating func int(_ range: Range<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    /// Uniform in [0, 1), 24 bits.
    public mutating func uniform() -> Float {
        Float(next() >> 40) * (1 / 16_777_216)
    }

    /// Uniform in [0, 1), 53 bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Approximately standard normal: the sum of four 16-bit uniforms (Irwin-Hall), one draw each.
    public mutating func normal() -> Float {
        let bits = next()
        let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF)
            + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
        // Four uniforms on [0, 1) have mean 2 and variance 1/3.
        return (sum * (1 / 65_536) - 2) * 1.732_050_8
    }
}
