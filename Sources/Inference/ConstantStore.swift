/// Weight memory handed to XNNPACK. XNNPACK keeps pointers to static tensor data, so this store
/// must outlive the runtime built from them; its owner frees it after deleting the runtime.
final class ConstantStore {
    private var blocks: [UnsafeMutableRawPointer] = []

    /// Copies `values` into memory that stays put until the store is released.
    func keep(_ values: [Float]) -> UnsafeRawPointer {
        // XNNPACK may read up to XNN_EXTRA_BYTES past the end of a buffer.
        let bytes = values.count * MemoryLayout<Float>.stride + 16
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        block.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        values.withUnsafeBytes { block.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        blocks.append(block)
        return UnsafeRawPointer(block)
    }

    deinit {
        for block in blocks { block.deallocate() }
    }
}
