import BackdropCore
import Foundation
import Inference
import Media
import Segmentation

/// `backdrop bench segmentation`: the engine alone, the mask step at model size, and the whole
/// mask step at 1280x720, for both models at 1 and 2 threads, measured in one run.
public struct SegmentationBenchmark {
    /// Timings of one measured step, in milliseconds.
    public struct Result: Codable, Sendable {
        public var median_ms: Double
        public var p90_ms: Double
        public var samples: Int

        init(_ seconds: [Double]) {
            let stats = Statistics(seconds.map { $0 * 1000 })
            median_ms = stats.median
            p90_ms = stats.p90
            samples = stats.count
        }
    }

    /// The 1280x720 step, with the median of each of its parts.
    public struct FrameStep: Codable, Sendable {
        public var total: Result
        public var convert_median_ms: Double
        public var infer_median_ms: Double
        public var smooth_median_ms: Double
        public var upsample_median_ms: Double
    }

    public struct ThreadResult: Codable, Sendable {
        public var engine: Result
        public var mask_step_model_size: Result
        public var mask_step_1280x720: FrameStep
    }

    public struct ModelResult: Codable, Sendable {
        public var input: String
        public var threads: [String: ThreadResult]
    }

    public struct Report: Codable, Sendable {
        public var benchmark = "segmentation"
        public var iterations: Int
        public var cpu: String
        public var cores: Int
        public var frame_source: String
        public var models: [String: ModelResult]
    }

    public var iterations: Int
    public var warmup: Int
    public var threadCounts: [Int]

    public init(iterations: Int = 200, warmup: Int = 20, threadCounts: [Int] = [1, 2]) {
        self.iterations = iterations
        self.warmup = warmup
        self.threadCounts = threadCounts
    }

    public func run(log: (String) -> Void = { _ in }) throws -> Report {
        let frames = try BenchmarkFrames.make(width: 1280, height: 720, count: 8)
        var models: [String: ModelResult] = [:]
        for model in ModelCatalog.Builtin.allCases {
            var perThreads: [String: ThreadResult] = [:]
            for threads in threadCounts {
                log("segmentation: \(model.rawValue) model, \(threads) thread(s)")
                let network = try SegmentationNetwork(contentsOf: try ModelCatalog.resolve(model.rawValue), threads: threads)
                let segmenter = PersonSegmenter(network: network)
                // Model-size inputs made once, outside the timed region, as the bench contract says.
                let scaler = PixelScaler()
                let small = try frames.frames.map { try scaler.rgbImage(from: $0, width: network.inputWidth, height: network.inputHeight) }
                perThreads["\(threads)"] = try ThreadResult(
                    engine: measure { _ in try network.run() },
                    mask_step_model_size: measure { i in _ = try segmenter.modelMask(rgb: small[i % small.count]) },
                    mask_step_1280x720: measureFrames(segmenter, frames.frames))
            }
            let network = try SegmentationNetwork(contentsOf: try ModelCatalog.resolve(model.rawValue))
            models[model.rawValue] = ModelResult(input: "\(network.inputWidth)x\(network.inputHeight)", threads: perThreads)
        }
        return Report(iterations: iterations, cpu: Self.cpuName(), cores: ProcessInfo.processInfo.activeProcessorCount,
                      frame_source: frames.source, models: models)
    }

    private func measure(_ body: (Int) throws -> Void) rethrows -> Result {
        for i in 0..<warmup { try body(i) }
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for i in 0..<iterations {
            let start = MonotonicClock.now()
            try body(i)
            samples.append(MonotonicClock.now() - start)
        }
        return Result(samples)
    }

    private func measureFrames(_ segmenter: PersonSegmenter, _ frames: [VideoFrame]) throws -> FrameStep {
        var parts: [[Double]] = [[], [], [], []]
        let total = try measure { i in
            _ = try segmenter.segment(frames[i % frames.count])
            let t = segmenter.lastTimings
            parts[0].append(t.convert)
            parts[1].append(t.infer)
            parts[2].append(t.smooth)
            parts[3].append(t.upsample)
        }
        // Drop the warm-up calls from the parts too.
        let medians = parts.map { Statistics(Array($0.dropFirst(warmup)).map { $0 * 1000 }).median }
        return FrameStep(total: total, convert_median_ms: medians[0], infer_median_ms: medians[1],
                         smooth_median_ms: medians[2], upsample_median_ms: medians[3])
    }

    static func cpuName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in info.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        }
        return "unknown"
    }
}
