import ArgumentParser
import BackdropCore
import Capture
import Compositing
import Foundation
import Inference
import Logging
import Media
import Pipeline
import Processing
import Segmentation

/// `backdrop process INPUT OUTPUT`: the person kept, the background replaced, every frame.
struct ProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Replace the background: INPUT (camera, file, URL or lavfi:GRAPH) to OUTPUT and any --sink.",
        discussion: """
            A file to a file processes every frame and copies audio. A camera, a network input, \
            --realtime, or a virtual-camera or RTP sink runs the live pipeline: frames are dropped \
            at the source when a stage falls behind, never queued. Ctrl-C stops it cleanly.
            """)

    @Argument(help: "/dev/videoN or camera:NAME, a file, a URL, or lavfi:GRAPH (e.g. lavfi:testsrc2=size=1280x720:duration=2).")
    var input: String

    @Argument(help: "One or more sinks: a file (.mp4, .mkv, .y4m), vcam:/dev/videoN, rtp://HOST:PORT[?options] or srtp://HOST:PORT?key=FILE.")
    var outputs: [String]

    var output: String { outputs.first ?? "" }

    @Option(name: .customLong("sink"), help: "Another sink, fed at the same time (repeatable).")
    var extraSinks: [String] = []

    @Option(help: "blur, blur:STRENGTH (percent of the width), color:RRGGBB or image:PATH.")
    var background = "blur"

    @Option(help: "landscape (256x144, for 16:9), portrait (256x256) or a path to a .tflite model.")
    var model = "landscape"

    @Option(help: "XNNPACK threads (1 is the stable default on small machines).")
    var threads = 1

    @Option(help: "x264 constant rate factor for file sinks (0-51, lower is better).")
    var crf = 20

    @Flag(help: "Pace a file at its frame rate, as a camera would deliver it.")
    var realtime = false

    @Flag(help: "Start the input again at its end (with --realtime: a synthetic camera).")
    var loop = false

    @Option(help: "Write the SDP of an RTP sink to this file (open it in ffplay or VLC).")
    var sdp: String?

    @Option(help: "Also write the person mask as a greyscale video to this path (file to file only).")
    var mask: String?

    @OptionGroup var log: LogOptions

    var sinkNames: [String] { outputs + extraSinks }

    func validate() throws {
        guard !outputs.isEmpty else { throw ValidationError("give at least one OUTPUT (a file or a sink)") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) is outside 1...64") }
        guard (0...51).contains(crf) else { throw ValidationError("--crf \(crf) is outside 0...51") }
        do {
            _ = try BackgroundMode(parsing: background)
        } catch {
            throw ValidationError("--background: \(error)")
        }
        for name in sinkNames {
            do {
                _ = try SinkAddress(parsing: name)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    /// Frame size and rate of a source, for sinks and backgrounds made before the first frame.
    static func geometry(of source: any FrameSource) -> (Int, Int, Rational) {
        if let media = source as? MediaSource { return (media.width, media.height, media.frameRate) }
        if let camera = source as? V4L2CameraSource {
            return (camera.format.width, camera.format.height, camera.format.frameRate ?? Rational(30, 1))
        }
        return (1280, 720, Rational(30, 1))
    }

    /// Whether opening failed on the input side (exit 66) rather than the output side (exit 73).
    static func isInputProblem(_ error: MediaError, input: String) -> Bool {
        switch error {
        case let .openFailed(path, _): return path == input
        case .noVideoStream, .decoderMissing, .decodeFailed: return true
        default: return false
        }
    }

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.process")
        let sinks = try sinkNames.map { try SinkAddress(parsing: $0) }
        let backgroundMode = try BackgroundMode(parsing: background)
        var encoder = EncoderOptions()
        encoder.crf = crf

        let fileToFile = sinks.count == 1 && !realtime && !loop && !SourceFactory.isCamera(input)
            && !input.contains("://") && { if case .file = sinks[0] { return true } else { return false } }()
        if fileToFile {
            try runFile(backgroundMode: backgroundMode, encoder: encoder, logger: logger)
        } else {
            try runLive(sinks: sinks, backgroundMode: backgroundMode, encoder: encoder, logger: logger)
        }
    }

    /// Every frame, audio copied, a progress bar.
    private func runFile(backgroundMode: BackgroundMode, encoder: EncoderOptions, logger: Logger) throws {
        var options = ProcessOptions(background: backgroundMode, model: model, threads: threads, encoder: encoder)
        options.maskOutput = mask
        let processor: FileProcessor
        do {
            processor = try FileProcessor(input: input, output: output, options: options, logger: logger)
        } catch let error as MediaError {
            logger.error("\(error)")
            throw Self.isInputProblem(error, input: input) ? ExitStatus.noInput : ExitStatus.cannotCreate
        } catch {
            logger.error("\(error)")
            throw ExitStatus.failure
        }
        var bar = ProgressBar()
        do {
            let summary = try processor.run { bar.update(frames: $0.frames, total: $0.total, seconds: $0.seconds) }
            bar.finish()
            print("\(output): \(summary.line)")
        } catch {
            bar.finish()
            logger.error("\(error)")
            throw ExitStatus.failure
        }
    }

    /// The threaded pipeline, until the input ends or SIGINT/SIGTERM.
    private func runLive(sinks addresses: [SinkAddress], backgroundMode: BackgroundMode, encoder: EncoderOptions,
                         logger: Logger) throws {
        let segmenter: PersonSegmenter
        let source: any FrameSource
        var sinks: [any FrameSink] = []
        do {
            segmenter = try PersonSegmenter(model: model, threads: threads)
            source = try SourceFactory.make(input, realtime: realtime, loop: loop, logger: logger)
        } catch let error as MediaError {
            logger.error("\(error)")
            throw Self.isInputProblem(error, input: input) ? ExitStatus.noInput : ExitStatus.failure
        } catch {
            logger.error("\(error)")
            throw ExitStatus.noInput
        }
        let (width, height, rate) = Self.geometry(of: source)
        let background: Background
        do {
            background = try Background(backgroundMode) { path in
                try BackgroundPicture.load(path: path, width: width, height: height)
            }
            let context = SinkFactory.Context(frameRate: rate, encoder: encoder, sdpPath: sdp, logger: logger)
            sinks = try addresses.map { try SinkFactory.make($0, context: context) }
        } catch {
            logger.error("\(error)")
            throw ExitStatus.cannotCreate
        }
        let pipeline = FramePipeline(source: source, segmenter: segmenter, sinks: sinks, background: background,
                                     fallbackSize: (width, height), logger: logger)
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            logger.notice("stopping on signal \(signal)")
            pipeline.stop()
        }
        let start = MonotonicClock.now()
        pipeline.start()
        pipeline.wait()
        signals.cancel()
        let seconds = MonotonicClock.now() - start
        let stats = pipeline.stageSnapshots
        for stage in stats {
            print(String(format: "%@: %d frames, %d dropped, %d errors, latency median %.1f ms p99 %.1f ms, CPU %.2f ms/frame",
                         stage.name as NSString, stage.framesOut, stage.dropped, stage.errors,
                         stage.latency.median * 1000, stage.latency.p99 * 1000,
                         stage.framesIn > 0 ? stage.cpuSeconds * 1000 / Double(stage.framesIn) : 0))
        }
        print(String(format: "%.1f s", seconds))
        if stats.contains(where: { $0.name == "source" && $0.errors > 0 }) { throw ExitStatus.failure }
    }
}
