/// Why a Backdrop side-data message was refused. The decoder drops the message, logs this, and
/// goes on with its last good state.
public enum SideDataError: Error, Equatable, CustomStringConvertible {
    /// The payload ended before a field; `offset` is where the field starts.
    case truncated(field: String, offset: Int, needed: Int, available: Int)
    /// A field holds a value outside its allowed range.
    case outOfRange(field: String, value: Int, allowed: String)
    /// The message's CRC-32 does not match its contents (damaged in transit).
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// Bytes left over after the message.
    case trailingBytes(count: Int)
    /// The arithmetic code needed more bytes than the message holds.
    case codeOverrun(bytes: Int)
    /// An inter mask that does not continue the receiver's chain.
    case brokenChain(sequence: UInt16, expected: UInt16?)

    public var description: String {
        switch self {
        case let .truncated(field, offset, needed, available):
            return "side data truncated: \(field) at byte \(offset) needs \(needed) bytes, \(available) left; the message is damaged"
        case let .outOfRange(field, value, allowed):
            return "side data field \(field) = \(value) is outside \(allowed); the message is damaged or from an incompatible sender"
        case let .checksumMismatch(stored, computed):
            return "side data CRC-32 mismatch (stored \(hex(stored)), computed \(hex(computed))); the message was damaged in transit"
        case let .trailingBytes(count):
            return "side data has \(count) unexpected bytes after its end; the message is damaged"
        case let .codeOverrun(bytes):
            return "mask code ran \(bytes) bytes past its end; the message is damaged"
        case let .brokenChain(sequence, expected):
            let wanted = expected.map { "the mask after \($0)" } ?? "an intra mask first"
            return "inter mask \(sequence) does not follow the last decoded mask (needed \(wanted)); waiting for the next intra mask"
        }
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
