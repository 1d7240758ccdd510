/// Serializes a scene description as docs/bitstream.md specifies: a 14-byte header, then
/// type-length-value chunks (labels, appearance, sketch, thumbnail).
public enum SceneEncoder {
    public static let magic: [UInt8] = Array("BDSC".utf8)
    public static let version: UInt8 = 1

    /// Chunk types; others are skipped by decoders of this version (room for the codec).
    public enum Chunk: UInt8 {
        case labels = 1, appearance = 2, sketch = 3, thumbnail = 4
    }

    public static func encode(_ scene: SceneDescription) throws(SceneError) -> [UInt8] {
        try scene.validate()
        var out = magic
        out.append(version)
        out.append(UInt8(scene.level.rawValue))
        append16(scene.frameWidth, to: &out)
        append16(scene.frameHeight, to: &out)
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: scene.seed >> UInt32(shift))) }

        var labels: [UInt8] = []
        append16(scene.labels.width, to: &labels)
        append16(scene.labels.height, to: &labels)
        labels.append(UInt8(scene.appearances.count))
        labels += LabelMapCoder.encode(scene.labels, labelCount: scene.appearances.count)
        appendChunk(.labels, labels, to: &out)

        var appearance: [UInt8] = [UInt8(scene.appearances.count)]
        for a in scene.appearances {
            appearance += [a.lightness, UInt8(bitPattern: a.a), UInt8(bitPattern: a.b)]
            appearance += a.shading.map { UInt8(bitPattern: $0) }
            appearance += a.energy
            appearance += [a.orientation, a.anisotropy]
        }
        appendChunk(.appearance, appearance, to: &out)

        if scene.level >= .l1, !scene.sketch.isEmpty {
            var sketch: [UInt8] = [UInt8(scene.sketch.count)]
            for s in scene.sketch {
                let packed = UInt64(s.x0) << 36 | UInt64(s.y0) << 24 | UInt64(s.x1) << 12 | UInt64(s.y1)
                for shift in stride(from: 40, through: 0, by: -8) { sketch.append(UInt8(truncatingIfNeeded: packed >> UInt64(shift))) }
                sketch += [UInt8(bitPattern: s.ridge), UInt8(bitPattern: s.step)]
            }
            appendChunk(.sketch, sketch, to: &out)
        }
        if scene.level >= .l2, let t = scene.thumbnail {
            appendChunk(.thumbnail, [UInt8(t.width), UInt8(t.height)] + t.y + t.u + t.v, to: &out)
        }
        return out
    }

    static func append16(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }

    /// Type, length as an unsigned LEB128 varint, payload.
    static func appendChunk(_ type: Chunk, _ payload: [UInt8], to out: inout [UInt8]) {
        out.append(type.rawValue)
        var length = payload.count
        repeat {
            let byte = UInt8(length & 0x7F)
            length >>= 7
            out.append(length > 0 ? byte | 0x80 : byte)
        } while length > 0
        out += payload
    }
}
