import ArgumentParser
import Benchmarks
import Foundation

/// `backdrop bench`: what this machine can do, measured.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Backdrop on this machine.",
        subcommands: [Segmentation.self, BenchPipelineCommand.self, BenchCodecCommand.self])

    /// `backdrop bench segmentation`.
    struct Segmentation: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Engine alone, mask step at model size and at 1280x720, both models, 1 and 2 threads: median and p90.")

        @Flag(help: "Print one JSON object.")
        var json = false

        @Option(help: "Measured iterations per step.")
        var iterations = 200

        @Option(help: "Thread counts to measure, comma-separated.")
        var threads = "1,2"

        func run() throws {
            let counts = threads.split(separator: ",").compactMap { Int($0) }
            guard !counts.isEmpty, counts.allSatisfy({ (1...64).contains($0) }) else {
                throw ValidationError("--threads '\(threads)' must list thread counts in 1...64, e.g. 1,2")
            }
            guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
            let bench = SegmentationBenchmark(iterations: iterations, warmup: max(1, iterations / 10), threadCounts: counts)
            let report = try bench.run { if !json { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            print("segmentation on \(report.cpu), \(report.cores) cores, \(report.iterations) iterations; frames: \(report.frame_source)")
            print("model      threads  engine ms (med/p90)  model-size step ms  1280x720 step ms  [convert infer smooth upsample]")
            for name in report.models.keys.sorted() {
                let model = report.models[name]!
                for t in model.threads.keys.sorted() {
                    let r = model.threads[t]!
                    let f = r.mask_step_1280x720
                    print(String(format: "%-10@ %7@  %8.3f / %-8.3f  %8.3f / %-8.3f %8.3f / %-8.3f [%.2f %.2f %.2f %.2f]",
                                 name as NSString, t as NSString, r.engine.median_ms, r.engine.p90_ms,
                                 r.mask_step_model_size.median_ms, r.mask_step_model_size.p90_ms,
                                 f.total.median_ms, f.total.p90_ms, f.convert_median_ms, f.infer_median_ms,
                                 f.smooth_median_ms, f.upsample_median_ms))
                }
            }
        }
    }
}
