import BackdropCore
import Foundation
import Inference
import Media

/// Person masks for whole frames: the model's view of the frame, the model, then refinement
/// (temporal smoothing at model size, guided upsampling to frame size).
///
/// One instance per stream: it keeps the temporal state and reuses its buffers. Not thread-safe.
public final class PersonSegmenter: FrameSegmenter {
    /// Time spent in each step of the last `segment` call, in seconds.
    public struct Timings: Sendable, Equatable {
        public var convert: Double = 0
        public var infer: Double = 0
        public var smooth: Double = 0
        public var upsample: Double = 0
        public var total: Double { convert + infer + smooth + upsample }
        public init() {}
    }

    /// Which refinement steps run; both on is the product default, the others exist for comparison.
    public struct Refinement: Sendable, Equatable {
        public var temporal: Bool
        public var guided: Bool
        public init(temporal: Bool = true, guided: Bool = true) {
            self.temporal = temporal
            self.guided = guided
        }
    }

    public let network: SegmentationNetwork
    public let refinement: Refinement
    public private(set) var lastTimings = Timings()

    // Bilinear without anti-aliasing, as MediaPipe's own pre-processing (OpenCV warpAffine) does:
    // the model was trained on such input, and it is three times cheaper than an area filter.
    private let scaler = PixelScaler(filter: .fastBilinear)
    private var smoother = TemporalSmoother()
    private let upsampler = GuidedUpsampler()
    private var guide: [Float] = []
    private var rawMask: Mask
    /// Full-size masks written in turn. A caller (the pipeline's stages, its fail-closed
    /// fallback) may still hold the last few; writing into a mask it holds would copy it first
    /// (3.7 MB at 720p, copy-on-write). The one from four frames ago is free again.
    private var fullMasks = [Mask](repeating: Mask(width: 2, height: 2), count: 4)
    private var nextFullMask = 0

    public init(network: SegmentationNetwork, refinement: Refinement = Refinement()) {
        self.network = network
        self.refinement = refinement
        rawMask = Mask(width: network.outputWidth, height: network.outputHeight)
    }

    /// Loads a model by catalog name or path and builds its network.
    public convenience init(model: String, threads: Int = 1, refinement: Refinement = Refinement()) throws {
        let network = try SegmentationNetwork(contentsOf: try ModelCatalog.resolve(model), threads: threads)
        self.init(network: network, refinement: refinement)
    }

    /// The person probability for every pixel of `frame`.
    public func segment(_ frame: VideoFrame) throws -> Mask {
        var timings = Timings()
        let start = MonotonicClock.now()
        let rgb = try scaler.rgbImage(from: frame, width: network.inputWidth, height: network.inputHeight)
        let converted = MonotonicClock.now()
        timings.convert = converted - start

        var mask = try modelMask(rgb: rgb)
        let inferred = MonotonicClock.now()
        timings.infer = inferred - converted

        // The frame's luma at mask size guides both the smoother and the upsampler.
        MaskResampling.areaAverage(frame.y, width: frame.width, height: frame.height,
                                   toWidth: mask.width, toHeight: mask.height, into: &guide)
        if refinement.temporal {
            mask = smoother.smooth(mask, guide: guide)
        }
        let smoothed = MonotonicClock.now()
        timings.smooth = smoothed - inferred

        var fullMask = Mask(width: 2, height: 2)
        swap(&fullMask, &fullMasks[nextFullMask])
        defer {
            fullMasks[nextFullMask] = fullMask
            nextFullMask = (nextFullMask + 1) % fullMasks.count
        }
        if refinement.guided {
            upsampler.upsample(mask, luma: frame.y, width: frame.width, height: frame.height,
                               maskSizeLuma: guide, into: &fullMask)
        } else {
            if fullMask.width != frame.width || fullMask.height != frame.height {
                fullMask = Mask(width: frame.width, height: frame.height)
            }
            MaskResampling.bilinearUpsample(mask, into: &fullMask)
        }
        timings.upsample = MonotonicClock.now() - smoothed
        lastTimings = timings
        return fullMask
    }

    /// The raw model output for a picture already at model size (MediaPipe's pre-processing:
    /// RGB scaled to [0, 1]; the model's own sigmoid makes the output a probability).
    public func modelMask(rgb: RGBImage) throws -> Mask {
        guard rgb.width == network.inputWidth, rgb.height == network.inputHeight else {
            throw SegmentationError.wrongInputSize(width: rgb.width, height: rgb.height,
                                                   expected: (network.inputWidth, network.inputHeight))
        }
        let input = network.input.baseAddress!, output = UnsafePointer(network.output.baseAddress!)
        rgb.pixels.withUnsafeBufferPointer { pixels in
            let p = pixels.baseAddress!
            for i in 0..<pixels.count { input[i] = Float(p[i]) * (1 / 255) }
        }
        try network.run()
        rawMask.values.withUnsafeMutableBufferPointer { values in
            let v = values.baseAddress!
            for i in 0..<values.count {
                // Written so that a NaN from a damaged model becomes 0 (background), never "person",
                // and so that it maps to maxps and minps.
                let x = output[i]
                let positive = x > 0 ? x : 0
                v[i] = positive < 1 ? positive : 1
            }
        }
        return rawMask
    }

    /// Forgets the temporal state, e.g. at a scene cut or a new stream.
    public func reset() {
        smoother.reset()
    }
}
