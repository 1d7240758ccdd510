/// A bounds-checked view of a FlatBuffers binary: every read is checked against the buffer, so a
/// hostile file produces an error, never an out-of-bounds access.
///
/// Only what TFLite needs is here: tables with vtables, scalars, offsets, vectors and strings.
public struct FlatBuffer: Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Longest vector accepted: a hostile count must not turn into a huge allocation.
    static let maxVectorLength = 1 << 26

    func check(_ what: @autoclosure () -> String, _ offset: Int, _ length: Int) throws {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw TFLiteError.outOfBounds(what: what(), offset: offset, length: length, fileSize: bytes.count)
        }
    }

    func u8(_ offset: Int) throws -> UInt8 {
        try check("byte", offset, 1)
        return bytes[offset]
    }

    func u16(_ offset: Int) throws -> UInt16 {
        try check("uint16", offset, 2)
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws -> UInt32 {
        try check("uint32", offset, 4)
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    func u64(_ offset: Int) throws -> UInt64 {
        UInt64(try u32(offset)) | UInt64(try u32(offset + 4)) << 32
    }

    /// The root table, whose offset is the first word of the file.
    public func root() throws -> Table {
        try Table(buffer: self, position: Int(try u32(0)))
    }

    /// A table: an `soffset` to its vtable, then fields at the offsets the vtable lists.
    public struct Table: Sendable {
        let buffer: FlatBuffer
        let position: Int
        let vtable: Int
        let vtableSize: Int

        init(buffer: FlatBuffer, position: Int) throws {
            self.buffer = buffer
            self.position = position
            let soffset = Int32(bitPattern: try buffer.u32(position))
            let vtable = position - Int(soffset)
            let vtableSize = Int(try buffer.u16(vtable))
            guard vtableSize >= 4, vtableSize % 2 == 0 else {
                throw TFLiteError.malformed("vtable of the table at byte \(position) has size \(vtableSize)")
            }
            try buffer.check("vtable", vtable, vtableSize)
            self.vtable = vtable
            self.vtableSize = vtableSize
        }

        /// Absolute position of field `index`, or nil when the field is absent (default value).
        func fieldPosition(_ index: Int) throws -> Int? {
            let entry = 4 + 2 * index
            guard entry + 2 <= vtableSize else { return nil }
            let offset = Int(try buffer.u16(vtable + entry))
            return offset == 0 ? nil : position + offset
        }

        public func has(_ index: Int) throws -> Bool { try fieldPosition(index) != nil }

        public func uint8(_ index: Int, default value: UInt8 = 0) throws -> UInt8 {
            guard let p = try fieldPosition(index) else { return value }
            return try buffer.u8(p)
        }

        public func bool(_ index: Int, default value: Bool = false) throws -> Bool {
            guard let p = try fieldPosition(index) else { return value }
            return try buffer.u8(p) != 0
        }

        public func int32(_ index: Int, default value: Int32 = 0) throws -> Int32 {
            guard let p = try fieldPosition(index) else { return value }
            return Int32(bitPattern: try buffer.u32(p))
        }

        public func uint32(_ index: Int, default value: UInt32 = 0) throws -> UInt32 {
            guard let p = try fieldPosition(index) else { return value }
            return try buffer.u32(p)
        }

        public func uint64(_ index: Int, default value: UInt64 = 0) throws -> UInt64 {
            guard let p = try fieldPosition(index) else { return value }
            return try buffer.u64(p)
        }

        /// Follows the `uoffset` stored at field `index`.
        func indirect(_ index: Int) throws -> Int? {
            guard let p = try fieldPosition(index) else { return nil }
            let target = p + Int(try buffer.u32(p))
            try buffer.check("referenced object", target, 4)
            return target
        }

        public func table(_ index: Int) throws -> Table? {
            guard let target = try indirect(index) else { return nil }
            return try Table(buffer: buffer, position: target)
        }

        public func string(_ index: Int) throws -> String? {
            guard let target = try indirect(index) else { return nil }
            let length = Int(try buffer.u32(target))
            try buffer.check("string", target + 4, length)
            return String(decoding: buffer.bytes[(target + 4)..<(target + 4 + length)], as: UTF8.self)
        }

        /// Start and element count of the vector at field `index`, with `elementSize` bytes per element checked.
        public func vector(_ index: Int, elementSize: Int) throws -> (start: Int, count: Int)? {
            guard let target = try indirect(index) else { return nil }
            let count = Int(try buffer.u32(target))
            guard count <= FlatBuffer.maxVectorLength else {
                throw TFLiteError.malformed("vector at byte \(target) claims \(count) elements")
            }
            try buffer.check("vector", target + 4, count * elementSize)
            return (target + 4, count)
        }

        public func int32Vector(_ index: Int) throws -> [Int32] {
            guard let (start, count) = try vector(index, elementSize: 4) else { return [] }
            return try (0..<count).map { Int32(bitPattern: try buffer.u32(start + 4 * $0)) }
        }

        /// The byte range of a `[ubyte]` vector.
        public func byteRange(_ index: Int) throws -> Range<Int>? {
            guard let (start, count) = try vector(index, elementSize: 1) else { return nil }
            return start..<(start + count)
        }

        public func tableVector(_ index: Int) throws -> [Table] {
            guard let (start, count) = try vector(index, elementSize: 4) else { return [] }
            return try (0..<count).map { i in
                let slot = start + 4 * i
                let target = slot + Int(try buffer.u32(slot))
                return try Table(buffer: buffer, position: target)
            }
        }
    }
}
