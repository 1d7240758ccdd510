/// Side-data message type 1: one frame's mask, arithmetic-coded (docs/bitstream-selective.md).
public struct MaskMessage: Sendable, Equatable {
    public var sequence: UInt16
    /// Coded without the previous mask: a receiver can start here.
    public var intra: Bool
    /// The mask's size; sent with intra masks only (an inter mask has its reference's size),
    /// so 0 in a parsed inter message until the decoder fills it in.
    public var width: Int
    public var height: Int
    public var code: [UInt8]

    public init(sequence: UInt16, intra: Bool, width: Int, height: Int, code: [UInt8]) {
        self.sequence = sequence
        self.intra = intra
        self.width = width
        self.height = height
        self.code = code
    }

    func write(to writer: inout ByteWriter) {
        writer.u16(sequence)
        writer.u8(intra ? 1 : 0)
        if intra {
            writer.u16(UInt16(width))
            writer.u16(UInt16(height))
        }
        writer.append(code)
    }

    init(reading reader: inout ByteReader) throws(SideDataError) {
        sequence = try reader.u16("mask sequence")
        let flags = try reader.u8("mask flags")
        guard flags & ~1 == 0 else { throw .outOfRange(field: "mask flags", value: Int(flags), allowed: "0...1") }
        intra = flags & 1 != 0
        width = 0
        height = 0
        if intra {
            width = Int(try reader.u16("mask width"))
            height = Int(try reader.u16("mask height"))
            for (name, side) in [("mask width", width), ("mask height", height)] where !(1...BinaryMask.maximumSide).contains(side) {
                throw .outOfRange(field: name, value: side, allowed: "1...\(BinaryMask.maximumSide)")
            }
        }
        code = try reader.bytes(reader.remaining, "mask code")
    }
}
