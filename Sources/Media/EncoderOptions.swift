/// Video encoder settings for `MediaWriter` (ignored for .y4m, which stores raw frames).
public struct EncoderOptions: Sendable, Equatable {
    /// x264 constant rate factor: lower is better quality and bigger; 18–28 is the useful range.
    public var crf: Int
    /// x264 speed/size trade-off: ultrafast … veryslow.
    public var preset: String
    /// Average bit rate in bits per second; when set, it replaces `crf`.
    public var bitRate: Int?
    /// MP4 only: move the index to the front so players can start before the whole file arrives.
    public var fastStart: Bool

    public init(crf: Int = 20, preset: String = "veryfast", bitRate: Int? = nil, fastStart: Bool = true) {
        self.crf = crf
        self.preset = preset
        self.bitRate = bitRate
        self.fastStart = fastStart
    }
}
