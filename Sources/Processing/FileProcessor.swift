import BackdropCore
import Compositing
import Logging
import Media
import Segmentation

/// `backdrop process` on files: every frame decoded, segmented, composited over the chosen
/// background and encoded; audio copied through. Nothing is dropped: a file source is read as
/// fast as the slowest stage allows.
///
/// Fail closed: a frame whose segmentation fails goes out with the last good mask, or as
/// background only when there is none, never with the real room.
public final class FileProcessor {
    /// Progress after each frame; `total` is an estimate from the container, if it has one.
    public struct Progress: Sendable {
        public var frames: Int
        public var total: Int?
        public var seconds: Double
    }

    private let reader: MediaReader
    private let writer: MediaWriter
    private let maskWriter: MediaWriter?
    private let segmenter: any FrameSegmenter
    private var renderer: BackgroundRenderer
    private let compositor = Compositor()
    private let logger: Logger

    public convenience init(input: String, output: String, options: ProcessOptions, logger: Logger) throws {
        // The model first: a missing model is reported before any output file is created.
        let segmenter = try PersonSegmenter(model: options.model, threads: options.threads)
        try self.init(input: input, output: output, options: options, segmenter: segmenter, logger: logger)
    }

    /// With a given segmenter: the seam tests use to make segmentation fail on chosen frames.
    public init(input: String, output: String, options: ProcessOptions, segmenter: any FrameSegmenter,
                logger: Logger) throws {
        self.logger = logger
        self.segmenter = segmenter
        reader = try MediaReader(url: input, logger: logger)
        let (width, height) = (reader.width, reader.height)
        let background = try Background(options.background) { path in
            try BackgroundPicture.load(path: path, width: width, height: height)
        }
        renderer = BackgroundRenderer(background)
        writer = try MediaWriter(path: output, width: width, height: height, frameRate: reader.frameRate,
                                 timeBase: reader.timeBase, audio: reader.audioStreamParameters,
                                 options: options.encoder, logger: logger)
        let (frameRate, timeBase) = (reader.frameRate, reader.timeBase)
        maskWriter = try options.maskOutput.map {
            try MediaWriter(path: $0, width: width, height: height, frameRate: frameRate,
                            timeBase: timeBase, audio: nil, options: options.encoder, logger: logger)
        }
    }

    private var isBlur: Bool {
        if case .blur = renderer.background { return true }
        return false
    }

    /// The fail-closed picture when there is no mask at all in blur mode: flat mid-grey.
    static func neutral(like frame: VideoFrame) -> VideoFrame {
        VideoFrame(width: frame.width, height: frame.height, fillY: 110, fillU: 128, fillV: 128,
                   pts: frame.pts, timeBase: frame.timeBase)
    }

    /// The mask as a grey picture: black is background, white is person; none at all is black.
    static func maskPicture(_ mask: Mask?, like frame: VideoFrame) -> VideoFrame {
        var picture = VideoFrame(width: frame.width, height: frame.height, fillY: 16, fillU: 128, fillV: 128,
                                 pts: frame.pts, timeBase: frame.timeBase)
        guard let mask else { return picture }
        picture.y.withUnsafeMutableBufferPointer { y in
            mask.values.withUnsafeBufferPointer { a in
                for i in 0..<y.count { y[i] = UInt8(16 + (219 * a[i]).rounded()) }
            }
        }
        return picture
    }

    /// Runs to the end of the input; `progress` is called after every frame.
    public func run(progress: (Progress) -> Void = { _ in }) throws -> ProcessSummary {
        var summary = ProcessSummary()
        let start = MonotonicClock.now()
        var lastGoodMask: Mask?
        var output = VideoFrame(width: 2, height: 2, fillY: 16, fillU: 128, fillV: 128)
        while true {
            let decodeStart = MonotonicClock.now()
            guard let item = try reader.next() else { break }
            summary.decode += MonotonicClock.now() - decodeStart
            switch item {
            case let .audio(packet):
                try writer.write(packet)
                summary.audioPackets += 1
            case let .video(frame):
                var mask: Mask?
                do {
                    mask = try segmenter.segment(frame)
                    lastGoodMask = mask
                    let t = segmenter.lastTimings
                    summary.convert += t.convert
                    summary.infer += t.infer
                    summary.refine += t.smooth + t.upsample
                } catch {
                    summary.failedFrames += 1
                    logger.error("segmentation failed; sending this frame fail-closed", metadata: [
                        "frame": "\(summary.frames)", "error": "\(error)",
                    ])
                    mask = lastGoodMask.flatMap { $0.width == frame.width && $0.height == frame.height ? $0 : nil }
                }
                let compositeStart = MonotonicClock.now()
                let background = mask == nil && isBlur
                    ? Self.neutral(like: frame) // a blur without a mask would show a smeared room
                    : renderer.render(for: frame, alpha: mask)
                if let mask {
                    compositor.composite(frame: frame, alpha: mask, background: background, into: &output)
                } else {
                    compositor.backgroundOnly(frame: frame, background: background, into: &output)
                }
                let encodeStart = MonotonicClock.now()
                summary.composite += encodeStart - compositeStart
                try writer.write(output)
                if let maskWriter { try maskWriter.write(Self.maskPicture(mask, like: frame)) }
                summary.encode += MonotonicClock.now() - encodeStart
                summary.frames += 1
                progress(Progress(frames: summary.frames, total: reader.estimatedFrameCount,
                                  seconds: MonotonicClock.now() - start))
            }
        }
        let finishStart = MonotonicClock.now()
        try writer.finish()
        try maskWriter?.finish()
        summary.encode += MonotonicClock.now() - finishStart
        summary.wallSeconds = MonotonicClock.now() - start
        return summary
    }
}
