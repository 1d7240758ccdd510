/// Integer helpers of the synthesis path: every rounding is spelled out so that any machine
/// computes the same pixels (docs/bitstream.md §6 gives the same definitions).
enum FixedPoint {
    /// `n / d` rounded half up (towards +infinity), for any sign of `n` and `d > 0`.
    @inline(__always)
    static func divide(_ n: Int, _ d: Int) -> Int {
        let twice = 2 * n + d
        let q = twice / (2 * d)
        return (twice % (2 * d) < 0) ? q - 1 : q
    }

    /// `n / d` rounded half up for a denominator of either sign: `divide(-n, -d)` when d < 0.
    @inline(__always)
    static func divideSigned(_ n: Int, _ d: Int) -> Int {
        d < 0 ? divide(-n, -d) : divide(n, d)
    }

    /// `value >> shift` rounded half up.
    @inline(__always)
    static func shift(_ value: Int, _ shift: Int) -> Int {
        (value + (1 << (shift - 1))) >> shift
    }

    /// The largest r with r*r <= n, for n >= 0.
    static func squareRoot(_ n: Int) -> Int {
        guard n > 0 else { return 0 }
        var x = n
        var y = (x + 1) / 2
        while y < x {
            x = y
            y = (x + n / x) / 2
        }
        return x
    }

    /// sin(pi * q / 256) in Q14 for q in 0...256, by Bhaskara I's rational approximation
    /// (error below 0.0017): no floating point, identical everywhere.
    static func sine(_ q: Int) -> Int {
        let t = q * (256 - q)
        return divide(16 * t * 16384, 5 * 65536 - 4 * t)
    }

    /// (cos, sin) of pi * q / 256 in Q14, for q in 0...255.
    static func cosineSine(_ q: Int) -> (Int, Int) {
        let sin = sine(q)
        let cos = q <= 128 ? sine(128 - q) : -sine(q - 128)
        return (cos, sin)
    }

    @inline(__always)
    static func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
        value < low ? low : (value > high ? high : value)
    }
}
