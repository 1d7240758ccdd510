import BackdropCore

/// A scene description in one of the formats the bitstream names (`SceneKeyframe.format`).
public struct SceneSnapshot: Sendable, Equatable {
    public var format: UInt8
    public var description: [UInt8]

    public init(format: UInt8, description: [UInt8]) {
        self.format = format
        self.description = description
    }
}

/// The sender's side of the scene: sees every original frame with its coded mask and says what
/// the current scene is. When the bytes it returns change, the encoder sends a scene keyframe
/// at once (with a new scene id); it repeats the current one at every IDR picture anyway.
///
/// `RoomScene` (the Scene module's analysis: plate, label map, appearance) is the default;
/// `FlatColourScene` the minimal fallback.
public protocol SceneProvider: AnyObject {
    /// `personMask` is the binary mask at mask resolution (1 = person), the frame is the original.
    func scene(for frame: VideoFrame, personMask: BinaryMask) throws -> SceneSnapshot
}

/// Both sides: turns a description into the background picture. Must be deterministic: the
/// sender's preview and every receiver get the same pixels from the same bytes.
public protocol SceneRenderer {
    func render(_ description: [UInt8], width: Int, height: Int) throws -> VideoFrame
}

/// Scene renderers by format, as a receiver knows them.
public struct SceneRenderers {
    public var byFormat: [UInt8: any SceneRenderer]

    public init(_ byFormat: [UInt8: any SceneRenderer]) {
        self.byFormat = byFormat
    }

    /// The formats every Backdrop receiver understands (0 flat colour, 1 the room's label map),
    /// plus `extra`.
    public static func builtIn(adding extra: [UInt8: any SceneRenderer] = [:]) -> SceneRenderers {
        var all: [UInt8: any SceneRenderer] = [FlatColourScene.format: FlatColourScene.Renderer(),
                                               RoomScene.format: RoomScene.Renderer()]
        for (format, renderer) in extra { all[format] = renderer }
        return SceneRenderers(all)
    }
}
