import BackdropCore
import Media
import Segmentation

/// The person mask as the selective stream codes it: the segmentation model's probability at
/// the model's own resolution, temporally smoothed (as `PersonSegmenter` does before it
/// upsamples), for the encoder to binarize at 0.5. No full-frame upsampling: the receiver does
/// that, guided by the decoded picture.
///
/// One instance per stream (it keeps the smoother's state); not thread-safe.
public final class ModelMaskSegmenter {
    public let segmenter: PersonSegmenter
    // The same pre-processing as PersonSegmenter's (plain bilinear, as MediaPipe's), so the coded
    // mask and a full-frame mask of the same frame come from the same model input.
    private let scaler = PixelScaler(filter: .fastBilinear)
    private var smoother = TemporalSmoother()
    private var guide: [Float] = []

    public init(segmenter: PersonSegmenter) {
        self.segmenter = segmenter
    }

    /// Loads a model by catalog name (`landscape`, `portrait`) or path.
    public convenience init(model: String = "landscape", threads: Int = 1) throws {
        self.init(segmenter: try PersonSegmenter(model: model, threads: threads))
    }

    public var maskWidth: Int { segmenter.network.outputWidth }
    public var maskHeight: Int { segmenter.network.outputHeight }

    /// The smoothed model-size person probability for `frame`.
    public func mask(for frame: VideoFrame) throws -> Mask {
        let network = segmenter.network
        let rgb = try scaler.rgbImage(from: frame, width: network.inputWidth, height: network.inputHeight)
        let raw = try segmenter.modelMask(rgb: rgb)
        MaskResampling.areaAverage(frame.y, width: frame.width, height: frame.height,
                                   toWidth: raw.width, toHeight: raw.height, into: &guide)
        return smoother.smooth(raw, guide: guide)
    }

    /// Forgets the temporal state (a new stream).
    public func reset() {
        smoother.reset()
    }
}
