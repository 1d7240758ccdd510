/// Adaptive probabilities of the mask coder: per context, counts of 0s and 1s (Krichevsky–Trofimov
/// estimate, halved at 8192 so old statistics fade). Integer-only, so encoder and decoder agree
/// on every machine.
struct MaskContextModel: Equatable {
    static let contextBits = 12
    static let contextCount = 1 << contextBits
    static let countLimit: UInt32 = 8192

    private(set) var zeros = [UInt16](repeating: 0, count: contextCount)
    private(set) var ones = [UInt16](repeating: 0, count: contextCount)

    mutating func reset() {
        for i in 0..<Self.contextCount {
            zeros[i] = 0
            ones[i] = 0
        }
    }

    /// Probability of 0 in 1/65536 units, in 1...65535.
    @inline(__always)
    static func p0(zeros n0: UInt32, ones n1: UInt32) -> UInt32 {
        let p = 65536 * (2 * n0 + 1) / (2 * (n0 + n1) + 2)
        return min(max(p, 1), 65535)
    }

    @inline(__always)
    static func update(_ zeros: UnsafeMutablePointer<UInt16>, _ ones: UnsafeMutablePointer<UInt16>, context: Int, bit: Int) {
        var n0 = UInt32(zeros[context]), n1 = UInt32(ones[context])
        if bit == 0 { n0 += 1 } else { n1 += 1 }
        if n0 + n1 >= countLimit {
            n0 = (n0 + 1) / 2
            n1 = (n1 + 1) / 2
        }
        zeros[context] = UInt16(n0)
        ones[context] = UInt16(n1)
    }

    /// Runs `body` with the two count tables.
    mutating func withCounts<R>(_ body: (UnsafeMutablePointer<UInt16>, UnsafeMutablePointer<UInt16>) throws -> R) rethrows -> R {
        try zeros.withUnsafeMutableBufferPointer { z in
            try ones.withUnsafeMutableBufferPointer { o in try body(z.baseAddress!, o.baseAddress!) }
        }
    }
}
