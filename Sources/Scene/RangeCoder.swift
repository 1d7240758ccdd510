/// An adaptive binary range coder (the LZMA one: 11-bit probabilities, adaptation shift 5,
/// 32-bit range, carry propagation through a cached byte), as specified in docs/bitstream.md §5.1.
struct RangeEncoder {
    static let probabilityBits = 11
    static let initialProbability: UInt16 = 1 << 10
    static let adaptationShift = 5
    private static let topValue: UInt32 = 1 << 24

    private(set) var bytes: [UInt8] = []
    private var low: UInt64 = 0
    private var range: UInt32 = 0xFFFF_FFFF
    private var cache: UInt8 = 0
    private var cacheSize: Int = 1

    /// Codes `bit` with `probability` (of a 0, in 1/2048ths) and adapts it.
    mutating func encode(_ bit: Bool, probability: inout UInt16) {
        let bound = (range >> UInt32(Self.probabilityBits)) &* UInt32(probability)
        if !bit {
            range = bound
            probability += ((1 << UInt16(Self.probabilityBits)) - probability) >> UInt16(Self.adaptationShift)
        } else {
            low += UInt64(bound)
            range -= bound
            probability -= probability >> UInt16(Self.adaptationShift)
        }
        while range < Self.topValue {
            range <<= 8
            shiftLow()
        }
    }

    /// Flushes the coder; `bytes` is complete afterwards.
    mutating func finish() {
        for _ in 0..<5 { shiftLow() }
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
}

/// The decoder of `RangeEncoder`. Reading past the end of its input is an error, not a crash:
/// `overran` is set and the caller rejects the description.
struct RangeDecoder {
    private let input: ArraySlice<UInt8>
    private var position: Int
    private var range: UInt32 = 0xFFFF_FFFF
    private var code: UInt32 = 0
    private(set) var overran = false

    init(_ input: ArraySlice<UInt8>) {
        self.input = input
        position = input.startIndex
        for _ in 0..<5 { code = (code << 8) | UInt32(nextByte()) }
    }

    /// Whether the first byte was the 0 every encoder writes.
    var startsCorrectly: Bool { input.first == 0 }

    mutating func decode(probability: inout UInt16) -> Bool {
        let bound = (range >> UInt32(RangeEncoder.probabilityBits)) &* UInt32(probability)
        let bit: Bool
        if code < bound {
            range = bound
            probability += ((1 << UInt16(RangeEncoder.probabilityBits)) - probability) >> UInt16(RangeEncoder.adaptationShift)
            bit = false
        } else {
            code -= bound
            range -= bound
            probability -= probability >> UInt16(RangeEncoder.adaptationShift)
            bit = true
        }
        while range < 1 << 24 {
            range <<= 8
            code = (code << 8) | UInt32(nextByte())
        }
        return bit
    }

    private mutating func nextByte() -> UInt8 {
        guard position < input.endIndex else {
            overran = true
            return 0
        }
        defer { position += 1 }
        return input[position]
    }
}
