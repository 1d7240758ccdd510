/// What a file run did, for the one-line summary at the end.
public struct ProcessSummary: Sendable, Codable {
    public var frames = 0
    /// Frames whose segmentation failed and went out fail-closed (last good mask or background only).
    public var failedFrames = 0
    public var audioPackets = 0
    public var wallSeconds = 0.0
    /// Total seconds per stage over the run.
    public var decode = 0.0
    public var convert = 0.0
    public var infer = 0.0
    public var refine = 0.0
    public var composite = 0.0
    public var encode = 0.0

    public init() {}

    public var framesPerSecond: Double { wallSeconds > 0 ? Double(frames) / wallSeconds : 0 }

    /// One line: frames, fps and milliseconds per frame in each stage.
    public var line: String {
        func ms(_ total: Double) -> String {
            String(format: "%.2f", frames > 0 ? total * 1000 / Double(frames) : 0)
        }
        var text = "\(frames) frames in \(String(format: "%.1f", wallSeconds)) s (\(String(format: "%.1f", framesPerSecond)) fps); "
            + "ms/frame: decode \(ms(decode)), convert \(ms(convert)), infer \(ms(infer)), refine \(ms(refine)), "
            + "composite \(ms(composite)), encode \(ms(encode))"
        if audioPackets > 0 { text += "; \(audioPackets) audio packets copied" }
        if failedFrames > 0 { text += "; \(failedFrames) frames failed segmentation and were sent fail-closed" }
        return text
    }
}
