import ArgumentParser
import BackdropCore
import Foundation
import Logging
import Media
import SelectiveCodec

/// `backdrop encode INPUT OUTPUT`: the selective codec on files.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode INPUT as a selective stream: the person in H.264, the mask and scene in-band (OUTPUT .mp4 or .mkv).",
        discussion: """
            The picture keeps the person (and any --preserve box) and pads the rest smoothly; \
            every frame carries its mask and every keyframe the scene description, as SEI \
            messages (docs/bitstream-selective.md). Any player shows the person over the padding; \
            `backdrop decode` rebuilds the background. Audio is not carried.
            """)

    @Argument(help: "A video file, URL or lavfi:GRAPH.")
    var input: String

    @Argument(help: "The selective stream: .mp4 or .mkv.")
    var output: String

    @Option(help: "Average bit rate instead of --crf, e.g. 300k or 1.5M.")
    var bitrate: String?

    @Option(help: "x264 constant rate factor (0-51, lower is better).")
    var crf = SelectiveEncoderOptions().crf

    @Option(name: .customLong("preserve"), help: "A box kept at full quality, x,y,w,h in pixels (repeatable).")
    var preserve: [String] = []

    @Option(help: "Seconds between keyframes (each carries an intra mask and the scene).")
    var keyint = SelectiveEncoderOptions().keyframeInterval

    @Option(help: "push-pull (default), flat or none (keeps the real room; for comparison only).")
    var padding = SelectiveEncoderOptions().padding.rawValue

    @Option(help: "Quantiser offset for macroblocks outside the preserved region, as a fraction of x264's QP range; 0 for none.")
    var backgroundOffset = SelectiveEncoderOptions().backgroundQuantizerOffset ?? 0

    @Option(help: "landscape (256x144), portrait (256x256) or a path to a .tflite model.")
    var model = "landscape"

    @Option(help: "XNNPACK threads.")
    var threads = 1

    @Option(help: "Write bytes per category, frames and bits per pixel to this JSON file.")
    var stats: String?

    @OptionGroup var log: LogOptions

    func options() throws -> SelectiveEncoderOptions {
        var options = SelectiveEncoderOptions(crf: crf, keyframeInterval: keyint)
        if let bitrate {
            guard let rate = BitRate.parse(bitrate) else {
                throw ValidationError("--bitrate '\(bitrate)' is not a rate such as 300k or 1.5M")
            }
            options.bitRate = rate
        }
        options.boxes = try preserve.map { text in
            guard let box = PreserveBox(parsing: text) else { throw ValidationError("--preserve '\(text)' is not x,y,w,h in pixels") }
            return box
        }
        guard let mode = PaddingMode(rawValue: padding) else {
            throw ValidationError("--padding '\(padding)' is not one of \(PaddingMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        options.padding = mode
        options.backgroundQuantizerOffset = backgroundOffset == 0 ? nil : backgroundOffset
        do {
            try options.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return options
    }

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) is outside 1...64") }
        let lower = output.lowercased()
        guard lower.hasSuffix(".mp4") || lower.hasSuffix(".mkv") || lower.hasSuffix(".mov") else {
            throw ValidationError("OUTPUT '\(output)' must end in .mp4 or .mkv (for RTP use the selective:rtp:// sink of process)")
        }
        _ = try options()
    }

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.encode")
        let options = try options()
        let reader: MediaReader
        let segmenter: ModelMaskSegmenter
        do {
            reader = try MediaReader(url: input, logger: logger)
            segmenter = try ModelMaskSegmenter(model: model, threads: threads)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.noInput
        }
        for box in options.boxes where !box.fits(width: reader.width, height: reader.height) {
            logger.error("--preserve \(box) lies outside the \(reader.width)x\(reader.height) frame")
            throw ExitStatus.usage
        }
        let encoder: SelectiveEncoder
        do {
            encoder = try SelectiveEncoder(destination: .file(path: output), width: reader.width, height: reader.height,
                                           frameRate: reader.frameRate, timeBase: reader.timeBase, options: options,
                                           logger: logger)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.cannotCreate
        }
        var bar = ProgressBar()
        let start = MonotonicClock.now()
        let summary: SelectiveEncoderStats
        do {
            while let item = try reader.next() {
                guard case let .video(frame) = item else { continue }
                try encoder.encode(frame, mask: try segmenter.mask(for: frame))
                bar.update(frames: encoder.framesEncoded, total: reader.estimatedFrameCount, seconds: MonotonicClock.now() - start)
            }
            summary = try encoder.finish()
            bar.finish()
        } catch {
            bar.finish()
            logger.error("\(error)")
            throw ExitStatus.failure
        }
        if let stats {
            do {
                let json = JSONEncoder()
                json.outputFormatting = [.prettyPrinted, .sortedKeys]
                try json.encode(summary).write(to: URL(fileURLWithPath: stats))
            } catch {
                logger.error("cannot write --stats \(stats): \(error)")
                throw ExitStatus.cannotCreate
            }
        }
        print(String(format: "%@: %d frames, %.1f kbit/s (picture %d B, mask %d B = %.0f bit/frame, scene %d B), %.4f bit/pixel",
                     output as NSString, summary.frames, summary.bitRate / 1000, summary.bytes.picture, summary.bytes.mask,
                     summary.maskBitsPerFrame, summary.bytes.scene, summary.bitsPerPixel))
    }
}
