import ArgumentParser
import BackdropCore
import Foundation
import Logging
import Media
import Segmentation
import SelectiveCodec

/// `backdrop bench codec`: the selective codec against plain whole-frame H.264.
struct BenchCodecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Rate against person-region quality, selective codec vs whole-frame H.264, with BD-rates.",
        discussion: """
            Clips: the carphone talking head, the carphone person composited over a still and a \
            moving lavfi room with webcam-like noise (640x360), and any CLIP given. Quality is \
            luma PSNR and SSIM inside a reference mask (the segmentation model on the original \
            frames); the coded mask's IoU against it is reported beside it. Also times the \
            selective steps at 1280x720 against plain x264.
            """)

    @Argument(help: "More clips to measure (anything MediaReader opens).")
    var clips: [String] = []

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Frames per clip.")
    var frames = 120

    @Option(help: "x264 CRFs to measure, comma-separated.")
    var crf = "20,24,28,32,36"

    @Flag(help: "Only the clips given (no built-in ones).")
    var onlyGiven = false

    @Flag(help: "Skip the 1280x720 timing.")
    var noTiming = false

    @Option(help: "Write input | Backdrop | whole-frame H.264 at --picture-rate to this PNG (the moving-room clip).")
    var picture: String?

    @Option(help: "Bit rate of --picture, e.g. 150k.")
    var pictureRate = "150k"

    @OptionGroup var log: LogOptions

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.bench.codec")
        let crfs = crf.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard crfs.count >= 2, crfs.allSatisfy({ (0...51).contains($0) }) else {
            throw ValidationError("--crf '\(crf)' must list at least two CRFs in 0...51")
        }
        guard frames >= 10 else { throw ValidationError("--frames must be at least 10") }
        guard let pictureBitRate = BitRate.parse(pictureRate) else {
            throw ValidationError("--picture-rate '\(pictureRate)' is not a rate such as 60k")
        }
        let note: (String) -> Void = { text in if !json { FileHandle.standardError.write(Data((text + "\n").utf8)) } }
        let work = FileManager.default.temporaryDirectory.path
        let bench = CodecBenchmark(crfs: crfs, workDirectory: work, logger: logger)

        var inputs: [BenchClip] = []
        var pictureClip: BenchClip?
        if !onlyGiven {
            let carphone = try BenchClip.load(Self.mediaPath("carphone_pristine.mp4"), name: "carphone", maxFrames: frames, logger: logger)
            inputs.append(carphone)
            let reference = try PersonSegmenter(model: "landscape")
            let soft = try carphone.frames.map { try reference.segment($0) }
            for moving in [false, true] {
                let room = BenchClip.room(width: 640, height: 360, moving: moving, rate: carphone.frameRate)
                let clip = try BenchClip.composite(name: moving ? "synthetic-moving-room" : "synthetic-still-room", person: carphone,
                                                   masks: soft, scale: 2, room: room, logger: logger)
                inputs.append(clip)
                if moving { pictureClip = clip }
            }
        }
        for path in clips {
            inputs.append(try BenchClip.load(path, maxFrames: frames, logger: logger))
        }
        guard !inputs.isEmpty else { throw ValidationError("no clips: give CLIP paths or drop --only-given") }

        var results: [CodecBenchmark.ClipResult] = []
        for clip in inputs {
            note("\(clip.name): \(clip.width)x\(clip.height), \(clip.frames.count) frames")
            results.append(try bench.run(clip) { note("  " + $0) })
        }
        var timing: CodecBenchmark.Timing?
        if !noTiming {
            note("timing at 1280x720")
            let carphone = try BenchClip.load(Self.mediaPath("carphone_pristine.mp4"), name: "carphone", maxFrames: 60, logger: logger)
            let reference = try PersonSegmenter(model: "landscape")
            let soft = try carphone.frames.map { try reference.segment($0) }
            let hd = try BenchClip.composite(name: "synthetic-720p", person: carphone, masks: soft, scale: 4,
                                             room: BenchClip.room(width: 1280, height: 720, moving: true, rate: carphone.frameRate),
                                             logger: logger)
            let segmenter = try ModelMaskSegmenter()
            timing = try bench.timing(hd, masks: try hd.frames.map { try segmenter.mask(for: $0) })
        }
        var pictureNote: CodecBenchmark.PictureNote?
        if let picture, let clip = pictureClip {
            let segmenter = try ModelMaskSegmenter()
            let masks = try clip.frames.map { try segmenter.mask(for: $0) }
            let made = try bench.sideBySide(clip, masks: masks, bitRate: pictureBitRate, frameIndex: min(75, clip.frames.count - 1))
            try ImageFile.savePNG(made.image, path: picture)
            pictureNote = CodecBenchmark.PictureNote(clip: clip.name, frame: made.frameIndex, requestedKbps: Double(pictureBitRate) / 1000,
                                                     backdropKbps: made.backdropKbps, wholeFrameKbps: made.wholeFrameKbps)
            note(String(format: "wrote %@: frame %d, Backdrop %.1f kbit/s, whole-frame %.1f kbit/s", picture as NSString,
                        made.frameIndex, made.backdropKbps, made.wholeFrameKbps))
        }
        let report = CodecBenchmark.Report(crfs: crfs, qualityReference: "landscape model, full frame, guided upsampling, > 0.5",
                                           clips: results, bestVariant: CodecBenchmark.best(results), timing720p: timing,
                                           picture: pictureNote)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print(Self.table(report))
    }

    static func table(_ report: CodecBenchmark.Report) -> String {
        var lines: [String] = []
        for clip in report.clips {
            lines.append(String(format: "%@ %dx%d, %d frames, person %.0f%% of the frame; mask %.0f bit/frame (code %.0f), IoU %.4f, scene keyframe %d B",
                                clip.name as NSString, clip.width, clip.height, clip.frames, clip.personCoverage * 100,
                                clip.maskBitsPerFrame, clip.maskCodeBitsPerFrame, clip.maskIoU, clip.largestSceneKeyframeBytes))
            for curve in clip.curves {
                let rates = curve.points.map { String(format: "%.0f", $0.kbps) }.joined(separator: " ")
                let psnr = curve.points.map { String(format: "%.1f", $0.personPSNR) }.joined(separator: " ")
                func percent(_ value: Double?) -> String { value.map { String(format: "%+.1f%%", $0 * 100) } ?? "n/a" }
                lines.append(String(format: "  %-14@ kbit/s [%@] PSNR [%@] BD-rate PSNR %@ (poly %@), SSIM %@",
                                    curve.variant.name as NSString, rates as NSString, psnr as NSString,
                                    percent(curve.bdRatePSNR) as NSString, percent(curve.bdRatePSNRPolynomial) as NSString,
                                    percent(curve.bdRateSSIM) as NSString))
            }
        }
        if let best = report.bestVariant { lines.append("best variant (mean BD-rate, no room sent): \(best)") }
        if let t = report.timing720p {
            lines.append(String(format: "1280x720: plain x264 %.2f ms/frame; selective steps %.2f ms CPU + x264 %.2f ms; added %.2f ms/frame; "
                                + "with the room's scene the steps take %.2f ms CPU on average (%.1f ms at most)",
                                t.plainEncodeMilliseconds, t.selectivePreparationMilliseconds, t.selectiveEncodeMilliseconds, t.addedMilliseconds,
                                t.preparationWithRoomSceneMeanMilliseconds, t.preparationWithRoomSceneMaxMilliseconds))
        }
        return lines.joined(separator: "\n")
    }

    static func mediaPath(_ name: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let dir = env["BACKDROP_MEDIA"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? "") + "/.cache/backdrop/media"
        let path = dir + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) is missing: run scripts/setup.sh (or scripts/fetch-assets.sh media)")
        }
        return path
    }
}
