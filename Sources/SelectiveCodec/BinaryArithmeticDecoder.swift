/// Decodes what `BinaryArithmeticEncoder` wrote. Reads zeros past the end of the code (the
/// encoder drops trailing zeros) and counts them: more than 4 means the code is corrupt, which
/// the caller checks once at the end, so a hostile code costs at most one pass over the mask.
struct BinaryArithmeticDecoder {
    private let code: [UInt8]
    private var position = 0
    private var range: UInt32 = 0xFFFF_FFFF
    private var value: UInt32 = 0

    init(_ code: [UInt8]) {
        self.code = code
        // The encoder's first byte is always 0 and not sent: start with the next four.
        for _ in 0..<4 { value = value << 8 | UInt32(nextByte()) }
    }

    /// Bytes read beyond the end of the code.
    var overrun: Int { max(0, position - code.count) }

    @inline(__always)
    private mutating func nextByte() -> UInt8 {
        defer { position += 1 }
        return position < code.count ? code[position] : 0
    }

    /// The next bit, given its probability of being 0, `p0` / 65536 with `p0` in 1...65535.
    @inline(__always)
    mutating func decode(p0: UInt32) -> Int {
        let bound = (range >> 16) &* p0
        let bit: Int
        if value < bound {
            range = bound
            bit = 0
        } else {
            value &-= bound
            range &-= bound
            bit = 1
        }
        while range < 1 << 24 {
            range <<= 8
            value = value << 8 | UInt32(nextByte())
        }
        return bit
    }
}
