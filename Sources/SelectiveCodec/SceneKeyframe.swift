/// Side-data message type 2: the scene description the receiver synthesizes the background from,
/// and the preserve boxes (docs/bitstream-selective.md).
public struct SceneKeyframe: Sendable, Equatable {
    public static let maximumBoxes = 32
    public static let maximumDescriptionBytes = 65536
    public static let maximumFrameSide = 8192

    /// Changes whenever the description does.
    public var sceneID: UInt16
    public var frameWidth: Int
    public var frameHeight: Int
    public var boxes: [PreserveBox]
    /// How to read `description`: 0 flat colour, 1 the Scene module's description.
    public var format: UInt8
    public var description: [UInt8]

    public init(sceneID: UInt16, frameWidth: Int, frameHeight: Int, boxes: [PreserveBox], format: UInt8, description: [UInt8]) {
        self.sceneID = sceneID
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.boxes = boxes
        self.format = format
        self.description = description
    }

    func write(to writer: inout ByteWriter) {
        writer.u16(sceneID)
        writer.u16(UInt16(frameWidth))
        writer.u16(UInt16(frameHeight))
        writer.u8(UInt8(boxes.count))
        for box in boxes {
            writer.u16(UInt16(box.x))
            writer.u16(UInt16(box.y))
            writer.u16(UInt16(box.width))
            writer.u16(UInt16(box.height))
        }
        writer.u8(format)
        writer.u32(UInt32(description.count))
        writer.append(description)
    }

    init(reading reader: inout ByteReader) throws(SideDataError) {
        sceneID = try reader.u16("scene id")
        frameWidth = Int(try reader.u16("frame width"))
        frameHeight = Int(try reader.u16("frame height"))
        for (name, side) in [("frame width", frameWidth), ("frame height", frameHeight)]
        where !(2...Self.maximumFrameSide).contains(side) {
            throw .outOfRange(field: name, value: side, allowed: "2...\(Self.maximumFrameSide)")
        }
        let count = Int(try reader.u8("box count"))
        guard count <= Self.maximumBoxes else { throw .outOfRange(field: "box count", value: count, allowed: "0...\(Self.maximumBoxes)") }
        guard reader.remaining >= count * 8 else {
            throw .truncated(field: "boxes", offset: reader.offset, needed: count * 8, available: reader.remaining)
        }
        boxes = []
        for _ in 0..<count {
            let box = PreserveBox(x: Int(try reader.u16("box x")), y: Int(try reader.u16("box y")),
                                  width: Int(try reader.u16("box width")), height: Int(try reader.u16("box height")))
            guard box.fits(width: frameWidth, height: frameHeight) else {
                throw .outOfRange(field: "box \(box)", value: box.x + box.width, allowed: "inside \(frameWidth)x\(frameHeight)")
            }
            boxes.append(box)
        }
        format = try reader.u8("scene format")
        let length = Int(try reader.u32("description length"))
        guard length <= Self.maximumDescriptionBytes else {
            throw .outOfRange(field: "description length", value: length, allowed: "0...\(Self.maximumDescriptionBytes)")
        }
        description = try reader.bytes(length, "description")
    }
}
