/// Spare bytes swscale may read past the last row of a source plane: its SIMD input code reads up
/// to 16 bytes too far (measured with valgrind on FFmpeg 5.1); 64 is FFmpeg's own input padding.
let simdPadding = 64

extension Array where Element == UInt8 {
    /// A byte array of `count` elements whose storage has `simdPadding` zeroed spare bytes after
    /// the end, so swscale may over-read it without touching other memory. `body` must fill all
    /// `count` bytes.
    ///
    /// Planes made this way (as `MediaReader` and `PixelScaler` make them) are read by
    /// `PixelScaler` in place; others are first copied into a padded buffer.
    public init(simdPaddedCount count: Int,
                initializingWith body: (UnsafeMutableBufferPointer<UInt8>) throws -> Void) rethrows {
        try self.init(unsafeUninitializedCapacity: count + simdPadding) { buffer, initialized in
            UnsafeMutableBufferPointer(rebasing: buffer[count...]).initialize(repeating: 0)
            try body(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }

    /// Whether swscale may over-read this storage (see `init(simdPaddedCount:initializingWith:)`).
    var hasSIMDSlack: Bool { capacity >= count + simdPadding }
}
