/// IEEE 754 half to single precision, done by hand: the models store weights as fp16 and
/// `Float16` is not available on every platform Swift targets.
enum HalfFloat {
    static func toFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h) & 0x3FF
        let bits: UInt32
        switch exponent {
        case 0:
            if mantissa == 0 {
                bits = sign
            } else {
                // Subnormal: renormalise the mantissa.
                var e: UInt32 = 127 - 15 + 1
                var m = mantissa
                while m & 0x400 == 0 { m <<= 1; e -= 1 }
                bits = sign | (e << 23) | ((m & 0x3FF) << 13)
            }
        case 0x1F:
            bits = sign | 0x7F80_0000 | (mantissa << 13)
        default:
            bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13)
        }
        return Float(bitPattern: bits)
    }
}
