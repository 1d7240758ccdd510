/// Summary statistics over repeated measurements, for benchmarks and summaries.
public struct Statistics: Sendable, Codable, Equatable {
    public let count: Int
    public let median: Double
    public let p90: Double
    public let p99: Double
    public let mean: Double
    public let min: Double
    public let max: Double

    public init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        func quantile(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            // Nearest-rank: robust and easy to reproduce by hand.
            let rank = Int((q * Double(sorted.count)).rounded(.up))
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
        }
        median = sorted.isEmpty ? 0 : (sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2)
        p90 = quantile(0.90)
        p99 = quantile(0.99)
        mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        min = sorted.first ?? 0
        max = sorted.last ?? 0
    }
}
