/// Reads big-endian fields from an untrusted byte array, checking every length before reading.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        offset = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - offset) }

    private mutating func take(_ count: Int, _ field: String) throws(SideDataError) -> Int {
        guard count >= 0, count <= remaining else {
            throw .truncated(field: field, offset: offset, needed: count, available: remaining)
        }
        let start = offset
        offset += count
        return start
    }

    mutating func u8(_ field: String) throws(SideDataError) -> UInt8 {
        bytes[try take(1, field)]
    }

    mutating func u16(_ field: String) throws(SideDataError) -> UInt16 {
        let i = try take(2, field)
        return UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
    }

    mutating func u32(_ field: String) throws(SideDataError) -> UInt32 {
        let i = try take(4, field)
        return UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }

    mutating func bytes(_ count: Int, _ field: String) throws(SideDataError) -> [UInt8] {
        let i = try take(count, field)
        return Array(bytes[i..<(i + count)])
    }

    /// Throws unless every byte was read.
    func expectEnd() throws(SideDataError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }
}
