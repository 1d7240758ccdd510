import Foundation

/// A reusable, 64-byte-aligned, padded buffer for planes that must be copied before swscale may
/// read them.
final class ScratchBuffer {
    private static let alignment = 64
    private var pointer: UnsafeMutableRawPointer
    private var capacity: Int

    init() {
        capacity = simdPadding
        pointer = .allocate(byteCount: capacity, alignment: Self.alignment)
    }

    deinit {
        pointer.deallocate()
    }

    /// Copies `rows` rows of `rowBytes` from `source` (packed) in, at an aligned stride, and
    /// returns where they are and that stride.
    func stage(_ source: UnsafePointer<UInt8>, rowBytes: Int, rows: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        let stride = (rowBytes + Self.alignment - 1) / Self.alignment * Self.alignment
        let needed = stride * rows + simdPadding
        if needed > capacity {
            pointer.deallocate()
            capacity = needed
            pointer = .allocate(byteCount: capacity, alignment: Self.alignment)
            // Row tails and padding are read (and ignored) by SIMD code: keep them defined.
            pointer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        }
        let bytes = pointer.assumingMemoryBound(to: UInt8.self)
        copyPlane(from: source, stride: rowBytes, to: bytes, stride: stride, rowBytes: rowBytes, rows: rows)
        return (bytes, stride)
    }
}

/// Runs `body` with a pointer and stride for `plane` (packed rows of `rowBytes`) that swscale may
/// read: the array's own storage when it is 16-byte aligned (swscale's own test for aligned data),
/// has aligned rows and spare capacity for over-reads; otherwise, or when `copy` is set, an
/// aligned copy in `scratch`.
func withSwscaleReadable<R>(_ plane: [UInt8], rowBytes: Int, scratch: ScratchBuffer, copy: Bool,
                            _ body: (UnsafeMutablePointer<UInt8>, Int) throws -> R) rethrows -> R {
    try plane.withUnsafeBufferPointer { buffer in
        let base = buffer.baseAddress!
        if !copy && plane.hasSIMDSlack && Int(bitPattern: base) % 16 == 0 && rowBytes % 16 == 0 {
            return try body(UnsafeMutablePointer(mutating: base), rowBytes)
        }
        let (staged, stride) = scratch.stage(base, rowBytes: rowBytes, rows: plane.count / rowBytes)
        return try body(staged, stride)
    }
}

/// Copies `rows` rows of `rowBytes` between buffers with different strides.
package func copyPlane(from source: UnsafePointer<UInt8>, stride sourceStride: Int,
               to destination: UnsafeMutablePointer<UInt8>, stride destinationStride: Int,
               rowBytes: Int, rows: Int) {
    if sourceStride == rowBytes && destinationStride == rowBytes {
        memcpy(destination, source, rowBytes * rows)
        return
    }
    for row in 0..<rows {
        memcpy(destination + row * destinationStride, source + row * sourceStride, rowBytes)
    }
}
