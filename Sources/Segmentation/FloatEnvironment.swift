#if canImport(Glibc)
import Glibc
#endif

/// The floating-point environment for the refinement kernels.
enum FloatEnvironment {
    /// Runs `body` with subnormal floats flushed to zero (SSE FTZ and DAZ), then restores the
    /// caller's environment. XNNPACK does the same around its kernels.
    ///
    /// Model masks are sigmoid outputs: far from the person they hold values like 1e-30, and the
    /// smoother's moving average and the guided filter's products and differences of such values
    /// fall below 1.2e-38, where every SSE operation takes a microcode assist of about a hundred
    /// cycles. That tripled the time of the 720p upsampling. Flushing changes nothing above 1e-38.
    @inline(__always)
    static func flushingSubnormals<T>(_ body: () throws -> T) rethrows -> T {
        #if arch(x86_64) && canImport(Glibc)
        var saved = fenv_t()
        fegetenv(&saved)
        var flushed = saved
        flushed.__mxcsr |= 0x8040 // FTZ (bit 15) and DAZ (bit 6)
        fesetenv(&flushed)
        defer { fesetenv(&saved) }
        #endif
        return try body()
    }
}
