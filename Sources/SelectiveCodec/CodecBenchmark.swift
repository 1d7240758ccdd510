import BackdropCore
import Foundation
import Logging
import Media
import Segmentation

/// `backdrop bench codec`: for each clip, rate against the person region's quality at several
/// CRFs, for plain whole-frame H.264 and for the selective codec's padding and quantiser
/// variants with the same x264 settings; BD-rates between the curves; the coded mask's cost
/// and its IoU against a reference mask. Quality is measured on the decoded picture inside a
/// reference mask that does not come from the codec: the segmentation model (full frame, guided
/// upsampling) run on the original frames, thresholded at 0.5.
public struct CodecBenchmark {
    /// One way of encoding.
    public struct Variant: Sendable, Codable, Equatable {
        public var name: String
        public var selective: Bool
        public var padding: PaddingMode
        public var quantizerOffset: Double?

        public init(name: String, selective: Bool = true, padding: PaddingMode = .pushPull, quantizerOffset: Double? = nil) {
            self.name = name
            self.selective = selective
            self.padding = padding
            self.quantizerOffset = quantizerOffset
        }

        func options(crf: Int, base: SelectiveEncoderOptions) -> SelectiveEncoderOptions {
            var options = base
            options.crf = crf
            options.selective = selective
            options.padding = padding
            options.backgroundQuantizerOffset = quantizerOffset
            return options
        }

        /// Plain H.264 of the whole frame: the anchor.
        public static let wholeFrame = Variant(name: "whole-frame", selective: false, padding: .none)
        /// What is compared. "none+roi" keeps the real room (raised quantiser only): measured
        /// for reference, never a default, since it sends the room.
        public static let all: [Variant] = [
            wholeFrame,
            Variant(name: "push-pull+roi", padding: .pushPull, quantizerOffset: 0.2),
            Variant(name: "push-pull", padding: .pushPull),
            Variant(name: "flat+roi", padding: .flat, quantizerOffset: 0.2),
            Variant(name: "flat", padding: .flat),
            Variant(name: "none+roi", padding: .none, quantizerOffset: 0.2),
        ]
    }

    /// One encode: its rate and the person region's quality.
    public struct Point: Sendable, Codable {
        public var crf: Int
        public var kbps: Double
        public var bytes: StreamBytes
        public var personPSNR: Double
        public var personSSIM: Double
    }

    public struct Curve: Sendable, Codable {
        public var variant: Variant
        public var points: [Point]
        /// Against whole-frame at equal person PSNR (PCHIP and cubic-polynomial fits) and SSIM.
        public var bdRatePSNR: Double?
        public var bdRatePSNRPolynomial: Double?
        public var bdRateSSIM: Double?
    }

    public struct ClipResult: Sendable, Codable {
        public var name: String
        public var width: Int
        public var height: Int
        public var frames: Int
        public var fps: Double
        /// Fraction of the frame inside the reference mask.
        public var personCoverage: Double
        /// Mask SEI NAL units per frame, in bits (what the stream carries), and their code alone.
        public var maskBitsPerFrame: Double
        public var maskCodeBitsPerFrame: Double
        public var largestSceneKeyframeBytes: Int
        /// Receiver's alpha (guided upsample of the decoded mask) > 0.5 against the reference mask.
        public var maskIoU: Double
        public var curves: [Curve]
    }

    /// The selective steps' cost at 1280x720 with the default options, against plain x264
    /// (medians per frame; the segmentation model, which any background mode needs, not included).
    public struct Timing: Sendable, Codable {
        public var frames: Int
        public var plainEncodeMilliseconds: Double
        /// CPU time of the codec's own steps (mask coding, padding, quantiser map), with the
        /// flat-colour scene.
        public var selectivePreparationMilliseconds: Double
        public var selectiveEncodeMilliseconds: Double
        /// Median (preparation + x264) of the selective encoder minus median x264 of the plain one.
        public var addedMilliseconds: Double
        /// CPU time of the same steps with the room's scene as a live sender runs it (analysis on
        /// its own thread, not counted here): mean and maximum.
        public var preparationWithRoomSceneMeanMilliseconds: Double
        public var preparationWithRoomSceneMaxMilliseconds: Double
    }

    public struct Report: Sendable, Codable {
        public var benchmark = "codec"
        public var crfs: [Int]
        public var qualityReference: String
        public var clips: [ClipResult]
        /// The variant with the best mean BD-rate (PSNR) over all clips, among those that send no room.
        public var bestVariant: String?
        public var timing720p: Timing?
        /// The side-by-side picture, when one was made: clip, frame and the rates reached.
        public var picture: PictureNote?

        public init(crfs: [Int], qualityReference: String, clips: [ClipResult], bestVariant: String?, timing720p: Timing?,
                    picture: PictureNote? = nil) {
            self.crfs = crfs
            self.qualityReference = qualityReference
            self.clips = clips
            self.bestVariant = bestVariant
            self.timing720p = timing720p
            self.picture = picture
        }
    }

    /// Where the side-by-side picture came from.
    public struct PictureNote: Sendable, Codable {
        public var clip: String
        public var frame: Int
        public var requestedKbps: Double
        public var backdropKbps: Double
        public var wholeFrameKbps: Double

        public init(clip: String, frame: Int, requestedKbps: Double, backdropKbps: Double, wholeFrameKbps: Double) {
            self.clip = clip
            self.frame = frame
            self.requestedKbps = requestedKbps
            self.backdropKbps = backdropKbps
            self.wholeFrameKbps = wholeFrameKbps
        }
    }

    public var crfs: [Int]
    public var variants: [Variant]
    public var base: SelectiveEncoderOptions
    public var workDirectory: String
    public var logger: Logger

    public init(crfs: [Int] = [20, 24, 28, 32, 36], variants: [Variant] = Variant.all,
                base: SelectiveEncoderOptions = SelectiveEncoderOptions(), workDirectory: String, logger: Logger) {
        self.crfs = crfs
        self.variants = variants
        self.base = base
        self.workDirectory = workDirectory
        self.logger = logger
    }

    /// Reference regions (full-frame model mask > 0.5) and coding masks (model-size smoothed
    /// probability) for every frame of `clip`.
    public static func masks(for clip: BenchClip, model: String = "landscape") throws -> (reference: [[UInt8]], coding: [Mask]) {
        let reference = try PersonSegmenter(model: model)
        let coding = try ModelMaskSegmenter(model: model)
        var regions: [[UInt8]] = [], masks: [Mask] = []
        for frame in clip.frames {
            regions.append(RegionQuality.region(try reference.segment(frame)))
            masks.append(try coding.mask(for: frame))
        }
        return (regions, masks)
    }

    /// Measures every variant at every CRF on `clip`.
    public func run(_ clip: BenchClip, progress: (String) -> Void = { _ in }) throws -> ClipResult {
        let (regions, masks) = try Self.masks(for: clip)
        let covered = regions.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } }
        var curves: [Curve] = []
        var maskBits = 0.0, codeBits = 0.0, largestScene = 0, iou = 0.0
        for variant in variants {
            var points: [Point] = []
            for crf in crfs {
                let options = variant.options(crf: crf, base: base)
                let measured = try encodeAndMeasure(clip, masks: masks, regions: regions, options: options,
                                                    measureMask: variant == variants.first(where: \.selective) && crf == crfs[crfs.count / 2])
                points.append(measured.point)
                if let mask = measured.mask {
                    (maskBits, codeBits, largestScene, iou) = mask
                }
                progress(String(format: "%@ %@ crf %d: %.1f kbit/s, person PSNR %.2f dB, SSIM %.4f",
                                clip.name as NSString, variant.name as NSString, crf, measured.point.kbps,
                                measured.point.personPSNR, measured.point.personSSIM))
            }
            curves.append(Curve(variant: variant, points: points))
        }
        if let anchor = curves.first(where: { !$0.variant.selective }) {
            func rd(_ c: Curve, ssim: Bool) -> [BjontegaardDelta.Point] {
                c.points.map { BjontegaardDelta.Point(rate: $0.kbps, quality: ssim ? $0.personSSIM : $0.personPSNR) }
            }
            for i in curves.indices where curves[i].variant.selective {
                curves[i].bdRatePSNR = BjontegaardDelta.rate(anchor: rd(anchor, ssim: false), test: rd(curves[i], ssim: false))
                curves[i].bdRatePSNRPolynomial = BjontegaardDelta.rate(anchor: rd(anchor, ssim: false), test: rd(curves[i], ssim: false),
                                                                       interpolation: .polynomial)
                curves[i].bdRateSSIM = BjontegaardDelta.rate(anchor: rd(anchor, ssim: true), test: rd(curves[i], ssim: true))
            }
        }
        return ClipResult(name: clip.name, width: clip.width, height: clip.height, frames: clip.frames.count,
                          fps: clip.frameRate.doubleValue,
                          personCoverage: Double(covered) / Double(max(1, clip.frames.count * clip.width * clip.height)),
                          maskBitsPerFrame: maskBits, maskCodeBitsPerFrame: codeBits, largestSceneKeyframeBytes: largestScene,
                          maskIoU: iou, curves: curves)
    }

    private func encodeAndMeasure(_ clip: BenchClip, masks: [Mask], regions: [[UInt8]], options: SelectiveEncoderOptions,
                                  measureMask: Bool) throws -> (point: Point, mask: (Double, Double, Int, Double)?) {
        let path = workDirectory + "/bench-\(getpid())-\(UUID().uuidString).mp4"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let encoder = try SelectiveEncoder(destination: .file(path: path), width: clip.width, height: clip.height,
                                           frameRate: clip.frameRate, timeBase: clip.timeBase, options: options, logger: logger)
        var codeBytes = 0
        var coded: [BinaryMask] = []
        for (frame, mask) in zip(clip.frames, masks) { coded.append(try encoder.encode(frame, mask: mask).mask) }
        let stats = try encoder.finish()
        let reader = try SelectiveStreamReader(input: path, logger: logger)
        let decoder = SelectiveDecoder(logger: logger)
        let upsampler = GuidedUpsampler()
        var psnr = 0.0, ssim = 0.0, iou = 0.0, count = 0
        while let picture = try reader.next() {
            guard count < clip.frames.count else { break }
            let original = clip.frames[count], region = regions[count]
            psnr += RegionQuality.psnr(reference: original, test: picture.frame, region: region) ?? 100
            ssim += RegionQuality.ssim(reference: original, test: picture.frame, region: region) ?? 1
            if measureMask {
                let decoded = decoder.decode(picture: picture.frame, sideData: picture.sideData)
                if let mask = decoded.mask {
                    let alpha = upsampler.upsample(mask.probability, luma: picture.frame.y, width: picture.frame.width,
                                                   height: picture.frame.height)
                    iou += RegionQuality.intersectionOverUnion(RegionQuality.region(alpha), region)
                }
            }
            count += 1
        }
        guard count == clip.frames.count else {
            throw SelectiveCodecError.openFailed(input: path, message: "decoded \(count) of \(clip.frames.count) frames")
        }
        if measureMask {
            // The code alone (without SEI and message headers), coded again as the encoder did.
            var coder = MaskCoder()
            let keyint = max(1, Int((options.keyframeInterval * clip.frameRate.doubleValue).rounded()))
            for (index, mask) in coded.enumerated() {
                codeBytes += coder.encode(mask, sequence: UInt16(truncatingIfNeeded: index), intra: index % keyint == 0).code.count
            }
        }
        let n = Double(count)
        let point = Point(crf: options.crf, kbps: stats.bitRate / 1000, bytes: stats.bytes, personPSNR: psnr / n, personSSIM: ssim / n)
        let mask = measureMask ? (stats.maskBitsPerFrame, Double(codeBytes * 8) / n, stats.largestSceneKeyframeBytes, iou / n) : nil
        return (point, mask)
    }

    /// Times the selective steps and x264 at the clip's size (the benchmark uses a 1280x720
    /// composition), plain and selective, default options.
    public func timing(_ clip: BenchClip, masks: [Mask]) throws -> Timing {
        func run(selective: Bool, scene: any SceneProvider) throws -> SelectiveEncoderStats {
            var options = base
            options.selective = selective
            let path = workDirectory + "/timing-\(getpid())-\(UUID().uuidString).mp4"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let encoder = try SelectiveEncoder(destination: .file(path: path), width: clip.width, height: clip.height,
                                               frameRate: clip.frameRate, timeBase: clip.timeBase, options: options,
                                               scene: scene, logger: logger)
            for (frame, mask) in zip(clip.frames, masks) { try encoder.encode(frame, mask: mask) }
            return try encoder.finish()
        }
        _ = try run(selective: false, scene: FlatColourScene())  // warm-up: caches, page faults, x264's first open
        let plain = try run(selective: false, scene: FlatColourScene())
        let selective = try run(selective: true, scene: FlatColourScene())
        let room = try run(selective: true, scene: RoomScene(asynchronous: true))
        return Timing(frames: clip.frames.count, plainEncodeMilliseconds: plain.encodeMilliseconds.median,
                      selectivePreparationMilliseconds: selective.preparationMilliseconds.median,
                      selectiveEncodeMilliseconds: selective.encodeMilliseconds.median,
                      addedMilliseconds: selective.preparationMilliseconds.median + selective.encodeMilliseconds.median
                          - plain.encodeMilliseconds.median,
                      preparationWithRoomSceneMeanMilliseconds: room.preparationMilliseconds.mean,
                      preparationWithRoomSceneMaxMilliseconds: room.preparationMilliseconds.max)
    }

    /// The variant with the lowest mean BD-rate (PSNR) across clips, among those that send no room.
    public static func best(_ clips: [ClipResult]) -> String? {
        var sums: [String: (Double, Int)] = [:]
        for clip in clips {
            for curve in clip.curves where curve.variant.selective && curve.variant.padding != .none {
                guard let rate = curve.bdRatePSNR else { continue }
                sums[curve.variant.name, default: (0, 0)].0 += rate
                sums[curve.variant.name, default: (0, 0)].1 += 1
            }
        }
        return sums.min { $0.value.0 / Double($0.value.1) < $1.value.0 / Double($1.value.1) }?.key
    }
}

extension CodecBenchmark {
    /// What `sideBySide` made: the picture and the rates the two encodes reached.
    public struct SideBySide: Sendable {
        public var image: RGBImage
        public var backdropKbps: Double
        public var wholeFrameKbps: Double
        public var frameIndex: Int
    }

    /// Frame `frameIndex` of `clip` as input | Backdrop's reconstruction (the receiver's composite)
    /// | whole-frame H.264, both encoded at `bitRate` bits per second with the same settings.
    public func sideBySide(_ clip: BenchClip, masks: [Mask], bitRate: Int, frameIndex: Int) throws -> SideBySide {
        func encode(selective: Bool) throws -> (VideoFrame, Double) {
            var options = base
            options.bitRate = bitRate
            options.selective = selective
            let path = workDirectory + "/side-\(getpid())-\(UUID().uuidString).mp4"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let encoder = try SelectiveEncoder(destination: .file(path: path), width: clip.width, height: clip.height,
                                               frameRate: clip.frameRate, timeBase: clip.timeBase, options: options, logger: logger)
            for (frame, mask) in zip(clip.frames, masks) { try encoder.encode(frame, mask: mask) }
            let stats = try encoder.finish()
            let reader = try SelectiveStreamReader(input: path, logger: logger)
            let decoder = SelectiveDecoder(logger: logger)
            var index = 0
            while let picture = try reader.next() {
                let result = decoder.decode(picture: picture.frame, sideData: picture.sideData)
                if index == frameIndex { return (result.output, stats.bitRate / 1000) }
                index += 1
            }
            throw SelectiveCodecError.openFailed(input: path, message: "frame \(frameIndex) was not decoded")
        }
        let (backdrop, backdropKbps) = try encode(selective: true)
        let (whole, wholeKbps) = try encode(selective: false)
        let scaler = PixelScaler()
        let parts = try [clip.frames[frameIndex], backdrop, whole].map { try scaler.rgbImage(from: $0, width: clip.width, height: clip.height) }
        var pixels = [UInt8](repeating: 0, count: clip.width * 3 * clip.height * 3)
        for (index, part) in parts.enumerated() {
            for y in 0..<clip.height {
                let source = y * clip.width * 3, destination = (y * clip.width * 3 + index * clip.width) * 3
                pixels.replaceSubrange(destination..<(destination + clip.width * 3), with: part.pixels[source..<(source + clip.width * 3)])
            }
        }
        return SideBySide(image: RGBImage(width: clip.width * 3, height: clip.height, pixels: pixels),
                          backdropKbps: backdropKbps, wholeFrameKbps: wholeKbps, frameIndex: frameIndex)
    }
}
