import ArgumentParser
import BackdropCore
import Compositing
import Foundation
import Media
import Pipeline
import Segmentation

/// `backdrop bench pipeline`: added latency and CPU per stage of the live pipeline at 1280x720
/// 30 fps, from a frame's arrival to `write()`/`sendto()` returning; the source costs nothing
/// (frames replayed from memory), so its decoding is excluded.
struct BenchPipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Latency (median, p99) and CPU per stage of the live pipeline for the given sinks.")

    @Option(name: .customLong("sink"), help: "A sink to feed (repeatable), e.g. vcam:/dev/video10 or rtp://127.0.0.1:5004.")
    var sinks: [String] = []

    @Option(help: "Frames to replay.")
    var frames = 300

    @Option(help: "Frame rate.")
    var rate = 30.0

    @Option(help: "Frame size WxH.")
    var size = "1280x720"

    @Option(help: "Background: blur, color:RRGGBB or image:PATH.")
    var background = "blur"

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var log: LogOptions

    struct Report: Codable {
        var frames: Int
        var rate: Double
        var size: String
        var wallSeconds: Double
        /// Process CPU time over wall time: 1.0 is one core busy.
        var coresUsed: Double
        var processCPUMillisecondsPerFrame: Double
        var stages: [StageStats.Snapshot]
    }

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.bench")
        let parts = size.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 16, parts[1] >= 16 else { throw ValidationError("--size '\(size)' is not WxH") }
        guard !sinks.isEmpty else { throw ValidationError("give at least one --sink") }
        let (width, height) = (parts[0] - parts[0] % 2, parts[1] - parts[1] % 2)
        let source = ReplaySource(frames: try Self.frames(width: width, height: height), rate: rate, count: frames)
        let context = SinkFactory.Context(frameRate: Rational(Int32(rate.rounded()), 1), encoder: EncoderOptions(),
                                          sdpPath: nil, logger: logger)
        let made = try sinks.map { try SinkFactory.make(try SinkAddress(parsing: $0), context: context) }
        let mode = try BackgroundMode(parsing: background)
        let backdrop = Background(mode) { _ in VideoFrame(width: width, height: height, fillY: 120, fillU: 128, fillV: 128) }
        let pipeline = FramePipeline(source: source, segmenter: try PersonSegmenter(model: "landscape"), sinks: made,
                                     background: backdrop, fallbackSize: (width, height), logger: logger)
        let cpuStart = Self.processCPU(), start = MonotonicClock.now()
        pipeline.start()
        pipeline.wait()
        let wall = MonotonicClock.now() - start, cpu = Self.processCPU() - cpuStart
        let report = Report(frames: frames, rate: rate, size: "\(width)x\(height)", wallSeconds: wall,
                            coresUsed: cpu / wall, processCPUMillisecondsPerFrame: cpu * 1000 / Double(frames),
                            stages: pipeline.stageSnapshots)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print(String(format: "%d frames %@ at %.0f fps in %.1f s: process CPU %.1f%% of one core (%.2f ms/frame)",
                     frames, report.size as NSString, rate, wall, report.coresUsed * 100, report.processCPUMillisecondsPerFrame))
        for stage in report.stages {
            print(String(format: "  %-32@ out %5d  dropped %4d  errors %3d  latency median %6.2f ms  p99 %6.2f ms  CPU %6.2f ms/frame",
                         stage.name as NSString, stage.framesOut, stage.dropped, stage.errors,
                         stage.latency.median * 1000, stage.latency.p99 * 1000,
                         stage.framesIn > 0 ? stage.cpuSeconds * 1000 / Double(stage.framesIn) : 0))
        }
    }

    /// A few distinct frames: the astronaut test picture when fetched, with noise; else a gradient.
    static func frames(width: Int, height: Int) throws -> [VideoFrame] {
        var base = VideoFrame(width: width, height: height, fillY: 120, fillU: 128, fillV: 128)
        let env = ProcessInfo.processInfo.environment
        let media = env["BACKDROP_MEDIA"] ?? ((env["HOME"] ?? "") + "/.cache/backdrop/media")
        if let image = try? ImageFile.load(path: media + "/astronaut.png") {
            base = try PixelScaler().videoFrame(from: image, width: width, height: height)
        } else {
            for i in 0..<base.y.count { base.y[i] = UInt8(40 + (i % width) * 160 / width) }
        }
        var state: UInt64 = 0x5EED
        return (0..<8).map { _ in
            var frame = base
            for i in stride(from: 0, to: frame.y.count, by: 1) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                frame.y[i] = UInt8(clamping: Int(frame.y[i]) + Int((state >> 60) & 7) - 4)
            }
            return frame
        }
    }

    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
    }
}
