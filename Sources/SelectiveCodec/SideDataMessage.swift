/// One Backdrop message as carried in an H.264 SEI user-data-unregistered payload: Backdrop's
/// UUID, version, type, body, CRC-32 (docs/bitstream-selective.md). The SEI payload size
/// delimits the body.
public enum SideDataMessage: Sendable, Equatable {
    case mask(MaskMessage)
    case sceneKeyframe(SceneKeyframe)

    /// Backdrop's UUID, ac9fb616-6c07-4525-a979-333138c8cce7: the first 16 bytes of its payloads.
    public static let uuid: [UInt8] = [0xAC, 0x9F, 0xB6, 0x16, 0x6C, 0x07, 0x45, 0x25,
                                       0xA9, 0x79, 0x33, 0x31, 0x38, 0xC8, 0xCC, 0xE7]
    public static let version: UInt8 = 1
    /// Bytes around the body: UUID, version, type, CRC.
    public static let overhead = 16 + 1 + 1 + 4
    /// Largest payload a receiver accepts (a scene keyframe with the largest description and boxes).
    public static let maximumPayload = overhead + 16 + SceneKeyframe.maximumBoxes * 8 + SceneKeyframe.maximumDescriptionBytes

    /// What parsing a payload found.
    public enum Parsed: Equatable {
        case message(SideDataMessage)
        /// Not Backdrop's (another UUID, e.g. x264's version string).
        case foreign
        /// Backdrop's, but of a version or type this receiver does not know: skipped.
        case unsupported(version: UInt8, type: UInt8)
    }

    var typeCode: UInt8 {
        switch self {
        case .mask: return 1
        case .sceneKeyframe: return 2
        }
    }

    /// The SEI payload: UUID and message.
    public func payload() -> [UInt8] {
        var body = ByteWriter()
        switch self {
        case let .mask(message): message.write(to: &body)
        case let .sceneKeyframe(keyframe): keyframe.write(to: &body)
        }
        var writer = ByteWriter(capacity: body.bytes.count + Self.overhead)
        writer.append(Self.uuid)
        writer.u8(Self.version)
        writer.u8(typeCode)
        writer.append(body.bytes)
        writer.u32(CRC32.checksum(writer.bytes, from: 16))
        return writer.bytes
    }

    /// Parses a user-data-unregistered payload (UUID first). Throws when it is Backdrop's and damaged.
    public static func parse(_ payload: [UInt8]) throws(SideDataError) -> Parsed {
        guard payload.count >= 16, payload.prefix(16).elementsEqual(uuid) else { return .foreign }
        guard payload.count <= maximumPayload else {
            throw .outOfRange(field: "payload size", value: payload.count, allowed: "at most \(maximumPayload) bytes")
        }
        var reader = ByteReader(payload, from: 16)
        let version = try reader.u8("version")
        let type = try reader.u8("type")
        guard reader.remaining >= 4 else {
            throw .truncated(field: "crc32", offset: reader.offset, needed: 4, available: reader.remaining)
        }
        let bodyStart = reader.offset, bodyEnd = payload.count - 4
        var crcReader = ByteReader(payload, from: bodyEnd)
        let stored = try crcReader.u32("crc32")
        // Checked before the version: a damaged version byte must not pass as "a newer sender".
        let computed = CRC32.checksum(payload, from: 16, to: bodyEnd)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        guard version == Self.version, type == 1 || type == 2 else { return .unsupported(version: version, type: type) }

        var body = ByteReader(payload, from: bodyStart, end: bodyEnd)
        let message: SideDataMessage
        if type == 1 {
            message = .mask(try MaskMessage(reading: &body))
        } else {
            message = .sceneKeyframe(try SceneKeyframe(reading: &body))
        }
        try body.expectEnd()
        return .message(message)
    }
}
