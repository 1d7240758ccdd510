/// A binary arithmetic coder (a 32-bit range coder with carry propagation, as LZMA's) with 16-bit
/// probabilities; see docs/bitstream-selective.md for the exact arithmetic the decoder mirrors.
struct BinaryArithmeticEncoder {
    private var low: UInt64 = 0
    private var range: UInt32 = 0xFFFF_FFFF
    private var cache: UInt8 = 0
    private var cacheSize = 1
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Codes `bit` (0 or 1) whose probability of being 0 is `p0` / 65536, `p0` in 1...65535.
    @inline(__always)
    mutating func encode(_ bit: Int, p0: UInt32) {
        let bound = (range >> 16) &* p0
        if bit == 0 {
            range = bound
        } else {
            low &+= UInt64(bound)
            range &-= bound
        }
        while range < 1 << 24 {
            range <<= 8
            shiftLow()
        }
    }

    private mutating func shiftLow() {
        if low < 0xFF00_0000 || low >= 1 << 32 {
            let carry = UInt8(truncatingIfNeeded: low >> 32)
            var pending = cache
            repeat {
                bytes.append(pending &+ carry)
                pending = 0xFF
                cacheSize -= 1
            } while cacheSize != 0
            cache = UInt8(truncatingIfNeeded: low >> 24)
        }
        cacheSize += 1
        low = (low & 0x00FF_FFFF) << 8
    }

    /// Flushes and returns the code. Any value in [low, low + range) decodes the same, so the
    /// one with the most trailing zero bits is sent; the always-zero first byte and up to 4
    /// trailing zero bytes are dropped (the decoder supplies them, and treats needing more as
    /// corruption). Costs one or two bytes instead of LZMA's four.
    mutating func finish() -> [UInt8] {
        let high = low + UInt64(range) - 1
        for bits in stride(from: 32, through: 0, by: -1) {
            let mask: UInt64 = (1 << UInt64(bits)) - 1
            let candidate = (low + mask) & ~mask
            if candidate <= high {
                low = candidate
                break
            }
        }
        for _ in 0..<5 { shiftLow() }
        var code = Array(bytes.dropFirst())
        for _ in 0..<4 where code.last == 0 { code.removeLast() }
        return code
    }
}
