/// Bounds-checked reading of a byte buffer; every read past the end throws.
struct ByteReader {
    private let data: ArraySlice<UInt8>
    private var position: Int
    private let base: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes[...], base: 0)
    }

    init(_ slice: ArraySlice<UInt8>, base: Int) {
        data = slice
        position = slice.startIndex
        self.base = base
    }

    /// The offset of the next byte in the whole description.
    var offset: Int { base + position - data.startIndex }
    var remaining: Int { data.endIndex - position }
    var isAtEnd: Bool { position >= data.endIndex }

    mutating func byte() throws(SceneError) -> UInt8 {
        guard position < data.endIndex else { throw .malformed(offset: offset, reason: "unexpected end of data") }
        defer { position += 1 }
        return data[position]
    }

    mutating func uint16() throws(SceneError) -> Int {
        Int(try byte()) << 8 | Int(try byte())
    }

    mutating func bytes(_ count: Int) throws(SceneError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw .malformed(offset: offset, reason: "\(count) bytes wanted, \(remaining) left")
        }
        defer { position += count }
        return data[position..<(position + count)]
    }

    /// An unsigned LEB128 length of at most 4 bytes.
    mutating func varint() throws(SceneError) -> Int {
        var value = 0
        for i in 0..<4 {
            let b = try byte()
            value |= Int(b & 0x7F) << (7 * i)
            if b & 0x80 == 0 { return value }
        }
        throw .malformed(offset: offset, reason: "length longer than 4 bytes")
    }
}
