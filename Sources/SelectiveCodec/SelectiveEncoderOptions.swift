/// Settings of the selective encoder: the H.264 rate control and the selective parts.
public struct SelectiveEncoderOptions: Sendable, Equatable {
    /// x264 constant rate factor (0...51); ignored when `bitRate` is set.
    public var crf: Int
    /// Average bit rate in bits per second, instead of `crf`.
    public var bitRate: Int?
    /// x264 preset.
    public var preset: String
    /// Seconds between IDR pictures (each a refresh point: intra mask and scene keyframe).
    public var keyframeInterval: Double
    /// Live streaming: zerolatency, no B-frames, SPS/PPS before every IDR.
    public var live: Bool
    /// False encodes the whole frame as plain H.264 (no padding, no side data): the baseline the
    /// benchmark compares against, with every other setting the same.
    public var selective: Bool
    public var padding: PaddingMode
    /// Quantiser offset for macroblocks with nothing preserved, as a fraction of x264's QP range
    /// (0.2 = +10 QP); nil for none.
    public var backgroundQuantizerOffset: Double?
    /// Dilation of the mask, in mask pixels, before the picture is kept.
    public var margin: Int
    /// Regions kept whatever the mask says.
    public var boxes: [PreserveBox]
    /// A mask larger than this on either side (e.g. a full-frame mask) is area-averaged to fit,
    /// keeping its aspect, before it is binarized and coded; the models' outputs (256x144,
    /// 256x256) fit as they are.
    public var maskMaximumSide: Int
    /// Half-width of the band around 0.5 in which a mask pixel keeps its previous value
    /// (`BinaryMask(_:holding:band:)`); 0 binarizes at 0.5 alone.
    public var maskHysteresis: Float
    /// RTP payload size.
    public var packetSize: Int

    public init(crf: Int = 26, bitRate: Int? = nil, preset: String = "veryfast", keyframeInterval: Double = 2,
                live: Bool = false, selective: Bool = true, padding: PaddingMode = .pushPull,
                backgroundQuantizerOffset: Double? = 0.2, margin: Int = 2, boxes: [PreserveBox] = [],
                maskMaximumSide: Int = 256, maskHysteresis: Float = 0.1, packetSize: Int = 1200) {
        self.crf = crf
        self.bitRate = bitRate
        self.preset = preset
        self.keyframeInterval = keyframeInterval
        self.live = live
        self.selective = selective
        self.padding = padding
        self.backgroundQuantizerOffset = backgroundQuantizerOffset
        self.margin = margin
        self.boxes = boxes
        self.maskMaximumSide = maskMaximumSide
        self.maskHysteresis = maskHysteresis
        self.packetSize = packetSize
    }

    /// Throws unless every value is in range.
    public func validate() throws(SelectiveCodecError) {
        guard (0...51).contains(crf) else { throw .invalidOption(name: "crf", value: "\(crf)", expected: "0...51") }
        if let bitRate, !(1000...1_000_000_000).contains(bitRate) {
            throw .invalidOption(name: "bit rate", value: "\(bitRate)", expected: "1000...1000000000 bits per second")
        }
        guard keyframeInterval > 0, keyframeInterval <= 600 else {
            throw .invalidOption(name: "keyframe interval", value: "\(keyframeInterval)", expected: "seconds in (0, 600]")
        }
        if let offset = backgroundQuantizerOffset, !(-1...1).contains(offset) {
            throw .invalidOption(name: "background quantizer offset", value: "\(offset)", expected: "-1...1")
        }
        guard (0...16).contains(margin) else { throw .invalidOption(name: "margin", value: "\(margin)", expected: "0...16 mask pixels") }
        guard (1...BinaryMask.maximumSide).contains(maskMaximumSide) else {
            throw .invalidOption(name: "mask size", value: "\(maskMaximumSide)", expected: "1...\(BinaryMask.maximumSide) per side")
        }
        guard (0...0.4).contains(maskHysteresis) else {
            throw .invalidOption(name: "mask hysteresis", value: "\(maskHysteresis)", expected: "0...0.4")
        }
        guard boxes.count <= SceneKeyframe.maximumBoxes else {
            throw .invalidOption(name: "preserve boxes", value: "\(boxes.count)", expected: "at most \(SceneKeyframe.maximumBoxes)")
        }
        guard (200...65000).contains(packetSize) else {
            throw .invalidOption(name: "packet size", value: "\(packetSize)", expected: "200...65000 bytes")
        }
    }
}
