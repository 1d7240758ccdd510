import BackdropCore

/// What an encode cost: bytes by category, rates, and the time the selective steps added.
public struct SelectiveEncoderStats: Sendable, Codable, Equatable {
    public var frames: Int
    public var width: Int
    public var height: Int
    /// Stream duration in seconds (frames / frame rate).
    public var seconds: Double
    public var bytes: StreamBytes
    /// Scene keyframes sent, and the largest one's NAL unit in bytes.
    public var sceneKeyframes: Int
    public var largestSceneKeyframeBytes: Int
    /// Per frame: scene, mask coding, padding and quantiser map, in milliseconds of CPU time.
    public var preparationMilliseconds: Statistics
    /// Per frame: libx264, in milliseconds of wall time (it has its own threads).
    public var encodeMilliseconds: Statistics

    public var bitsPerPixel: Double {
        frames == 0 ? 0 : Double(bytes.total * 8) / Double(frames * width * height)
    }

    public var bitRate: Double { seconds > 0 ? Double(bytes.total * 8) / seconds : 0 }

    public var maskBitsPerFrame: Double { frames == 0 ? 0 : Double(bytes.mask * 8) / Double(frames) }

    enum CodingKeys: String, CodingKey {
        case frames, width, height, seconds, bytes, sceneKeyframes, largestSceneKeyframeBytes
        case preparationMilliseconds, encodeMilliseconds, bitsPerPixel, bitRate, maskBitsPerFrame
    }

    public init(frames: Int, width: Int, height: Int, seconds: Double, bytes: StreamBytes, sceneKeyframes: Int,
                largestSceneKeyframeBytes: Int, preparationMilliseconds: Statistics, encodeMilliseconds: Statistics) {
        self.frames = frames
        self.width = width
        self.height = height
        self.seconds = seconds
        self.bytes = bytes
        self.sceneKeyframes = sceneKeyframes
        self.largestSceneKeyframeBytes = largestSceneKeyframeBytes
        self.preparationMilliseconds = preparationMilliseconds
        self.encodeMilliseconds = encodeMilliseconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        frames = try c.decode(Int.self, forKey: .frames)
        width = try c.decode(Int.self, forKey: .width)
        height = try c.decode(Int.self, forKey: .height)
        seconds = try c.decode(Double.self, forKey: .seconds)
        bytes = try c.decode(StreamBytes.self, forKey: .bytes)
        sceneKeyframes = try c.decode(Int.self, forKey: .sceneKeyframes)
        largestSceneKeyframeBytes = try c.decode(Int.self, forKey: .largestSceneKeyframeBytes)
        preparationMilliseconds = try c.decode(Statistics.self, forKey: .preparationMilliseconds)
        encodeMilliseconds = try c.decode(Statistics.self, forKey: .encodeMilliseconds)
    }

    /// Derived rates are written too, for readers of the JSON.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(frames, forKey: .frames)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(sceneKeyframes, forKey: .sceneKeyframes)
        try c.encode(largestSceneKeyframeBytes, forKey: .largestSceneKeyframeBytes)
        try c.encode(preparationMilliseconds, forKey: .preparationMilliseconds)
        try c.encode(encodeMilliseconds, forKey: .encodeMilliseconds)
        try c.encode(bitsPerPixel, forKey: .bitsPerPixel)
        try c.encode(bitRate, forKey: .bitRate)
        try c.encode(maskBitsPerFrame, forKey: .maskBitsPerFrame)
    }
}
