/// A small seeded PRNG (Steele et al.'s SplitMix64), so synthetic scenes are the same on every run.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Float {
        Float(next() >> 40) * (1 / 16_777_216)
    }

    /// Approximately standard normal: the sum of four 16-bit uniforms (Irwin-Hall), one draw each.
    mutating func normal() -> Float {
        let bits = next()
        let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF)
            + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
        // Four uniforms on [0, 1) have mean 2 and variance 1/3.
        return (sum * (1 / 65_536) - 2) * 1.732_050_8
    }
}
