/// Parses what `SceneEncoder` writes, treating the input as hostile: every length, count, size
/// and label is checked before it is used, and nothing is allocated beyond the format's limits
/// (docs/bitstream.md §7).
public enum SceneDecoder {
    /// Larger inputs are refused outright.
    public static let maximumSize = 1 << 20

    public static func decode(_ bytes: [UInt8]) throws(SceneError) -> SceneDescription {
        guard bytes.count <= maximumSize else {
            throw .malformed(offset: 0, reason: "\(bytes.count) bytes is more than the \(maximumSize) allowed")
        }
        var reader = ByteReader(bytes)
        guard try reader.bytes(4) == ArraySlice(SceneEncoder.magic) else {
            throw .malformed(offset: 0, reason: "not a scene description (no BDSC magic)")
        }
        let version = try reader.byte()
        guard version == SceneEncoder.version else {
            throw .malformed(offset: 4, reason: "version \(version) is not supported (this decoder reads \(SceneEncoder.version))")
        }
        let levelByte = try reader.byte()
        guard let level = SceneLevel(rawValue: Int(levelByte)) else {
            throw .malformed(offset: 5, reason: "level \(levelByte) is not 0, 1 or 2")
        }
        let frameWidth = try reader.uint16(), frameHeight = try reader.uint16()
        guard (1...SceneDescription.maximumFrameSide).contains(frameWidth),
              (1...SceneDescription.maximumFrameSide).contains(frameHeight) else {
            throw .malformed(offset: 6, reason: "frame size \(frameWidth)x\(frameHeight) is outside 1...\(SceneDescription.maximumFrameSide)")
        }
        var seed: UInt32 = 0
        for _ in 0..<4 { seed = seed << 8 | UInt32(try reader.byte()) }

        var labels: (map: LabelMap, count: Int)?
        var appearances: [LabelAppearance]?
        var sketch: [SketchSegment]?
        var thumbnail: PlateThumbnail?
        while !reader.isAtEnd {
            let typeOffset = reader.offset
            let type = try reader.byte()
            let length = try reader.varint()
            let start = reader.offset
            var chunk = ByteReader(try reader.bytes(length), base: start)
            func once<T>(_ value: T?) throws(SceneError) {
                if value != nil { throw .malformed(offset: typeOffset, reason: "chunk type \(type) appears twice") }
            }
            switch SceneEncoder.Chunk(rawValue: type) {
            case .labels:
                try once(labels)
                labels = try decodeLabels(&chunk)
            case .appearance:
                try once(appearances)
                appearances = try decodeAppearances(&chunk)
            case .sketch:
                try once(sketch)
                guard level >= .l1 else { throw .malformed(offset: typeOffset, reason: "a sketch in a level-0 description") }
                sketch = try decodeSketch(&chunk)
            case .thumbnail:
                try once(thumbnail)
                guard level == .l2 else { throw .malformed(offset: typeOffset, reason: "a thumbnail below level 2") }
                thumbnail = try decodeThumbnail(&chunk)
            case nil:
                continue  // A later extension: skipped whole.
            }
            guard chunk.isAtEnd else {
                throw .malformed(offset: chunk.offset, reason: "\(chunk.remaining) unexpected bytes at the end of chunk type \(type)")
            }
        }
        guard let labels else { throw .malformed(offset: reader.offset, reason: "no label map chunk") }
        guard let appearances else { throw .malformed(offset: reader.offset, reason: "no appearance chunk") }
        guard appearances.count == labels.count else {
            throw .malformed(offset: reader.offset,
                             reason: "\(appearances.count) appearances for \(labels.count) labels")
        }
        var scene = SceneDescription(frameWidth: frameWidth, frameHeight: frameHeight, seed: seed, labels: labels.map,
                                     appearances: appearances, sketch: sketch ?? [], thumbnail: thumbnail)
        scene.level = level
        return scene
    }

    private static func decodeLabels(_ chunk: inout ByteReader) throws(SceneError) -> (map: LabelMap, count: Int) {
        let width = try chunk.uint16(), height = try chunk.uint16()
        guard (1...LabelMap.maximumSide).contains(width), (1...LabelMap.maximumSide).contains(height),
              width * height <= LabelMap.maximumCells else {
            throw .malformed(offset: chunk.offset - 4, reason: "label map \(width)x\(height) is outside "
                             + "\(LabelMap.maximumSide) per side and \(LabelMap.maximumCells) cells")
        }
        let count = Int(try chunk.byte())
        guard (1...LabelMap.maximumLabels).contains(count) else {
            throw .malformed(offset: chunk.offset - 1, reason: "label count \(count) is outside 1...\(LabelMap.maximumLabels)")
        }
        let offset = chunk.offset
        let map = try LabelMapCoder.decode(try chunk.bytes(chunk.remaining), width: width, height: height,
                                           labelCount: count, offset: offset)
        return (map, count)
    }

    private static func decodeAppearances(_ chunk: inout ByteReader) throws(SceneError) -> [LabelAppearance] {
        let count = Int(try chunk.byte())
        guard (1...LabelMap.maximumLabels).contains(count) else {
            throw .malformed(offset: chunk.offset - 1, reason: "appearance count \(count) is outside 1...\(LabelMap.maximumLabels)")
        }
        guard chunk.remaining == count * LabelAppearance.byteCount else {
            throw .malformed(offset: chunk.offset, reason: "\(chunk.remaining) bytes for \(count) appearances of "
                             + "\(LabelAppearance.byteCount) bytes")
        }
        var result: [LabelAppearance] = []
        for _ in 0..<count {
            let b = Array(try chunk.bytes(LabelAppearance.byteCount))
            result.append(LabelAppearance(lightness: b[0], a: Int8(bitPattern: b[1]), b: Int8(bitPattern: b[2]),
                                          shading: b[3..<8].map { Int8(bitPattern: $0) }, energy: Array(b[8..<11]),
                                          orientation: b[11], anisotropy: b[12]))
        }
        return result
    }

    private static func decodeSketch(_ chunk: inout ByteReader) throws(SceneError) -> [SketchSegment] {
        let count = Int(try chunk.byte())
        guard count <= SceneDescription.maximumSketchSegments, chunk.remaining == count * SketchSegment.byteCount else {
            throw .malformed(offset: chunk.offset - 1, reason: "sketch of \(count) segments (at most "
                             + "\(SceneDescription.maximumSketchSegments)) in \(chunk.remaining) bytes")
        }
        var result: [SketchSegment] = []
        for _ in 0..<count {
            let b = Array(try chunk.bytes(SketchSegment.byteCount))
            var packed: UInt64 = 0
            for i in 0..<6 { packed = packed << 8 | UInt64(b[i]) }
            func field(_ shift: UInt64) -> UInt16 { UInt16(truncatingIfNeeded: (packed >> shift) & 0xFFF) }
            let coordinates = [field(36), field(24), field(12), field(0)]
            guard coordinates.allSatisfy({ Int($0) <= SketchSegment.coordinateScale }) else {
                throw .malformed(offset: chunk.offset - 8, reason: "sketch coordinate above \(SketchSegment.coordinateScale)")
            }
            result.append(SketchSegment(x0: coordinates[0], y0: coordinates[1], x1: coordinates[2], y1: coordinates[3],
                                        ridge: Int8(bitPattern: b[6]), step: Int8(bitPattern: b[7])))
        }
        return result
    }

    private static func decodeThumbnail(_ chunk: inout ByteReader) throws(SceneError) -> PlateThumbnail {
        let width = Int(try chunk.byte()), height = Int(try chunk.byte())
        let side = PlateThumbnail.maximumSide
        guard (1...side).contains(width), (1...side).contains(height), chunk.remaining == 3 * width * height else {
            throw .malformed(offset: chunk.offset - 2, reason: "thumbnail \(width)x\(height) (at most \(side) a side) "
                             + "in \(chunk.remaining) bytes")
        }
        let n = width * height
        return PlateThumbnail(width: width, height: height, y: Array(try chunk.bytes(n)), u: Array(try chunk.bytes(n)),
                              v: Array(try chunk.bytes(n)))
    }
}
