import BackdropCore
import Foundation

/// Counters and timings of one pipeline stage, shared between its thread and readers of status.
public final class StageStats: @unchecked Sendable {
    // Sendable by construction: all state is guarded by `lock`.
    public let name: String
    private let lock = NSLock()
    private var framesIn = 0
    private var framesOut = 0
    private var dropped = 0
    private var errors = 0
    private var cpuSeconds = 0.0
    /// The most recent latencies (seconds from the frame's arrival at the source), a ring.
    private var latencies = [Double](repeating: 0, count: 1024)
    private var latencyCount = 0
    private var bytes: [String: Int]?

    init(name: String) {
        self.name = name
    }

    func record(cpu: Double, latency: Double?, out: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        framesIn += 1
        if out { framesOut += 1 }
        cpuSeconds += cpu
        if let latency {
            latencies[latencyCount % latencies.count] = latency
            latencyCount += 1
        }
    }

    func recordError() {
        lock.lock()
        errors += 1
        lock.unlock()
    }

    func setBytes(_ counts: [String: Int]) {
        lock.lock()
        bytes = counts
        lock.unlock()
    }

    func setDropped(_ count: Int) {
        lock.lock()
        dropped = count
        lock.unlock()
    }

    /// A consistent copy for status, metrics and benchmarks.
    public struct Snapshot: Sendable, Codable {
        public var name: String
        public var framesIn: Int
        public var framesOut: Int
        public var dropped: Int
        public var errors: Int
        public var cpuSeconds: Double
        /// Over the most recent frames (up to 1024).
        public var latency: Statistics
        /// Bytes a sink has sent, by category (`ByteCountingSink`); nil for other stages.
        public var bytes: [String: Int]?
    }

    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        let recent = Array(latencies.prefix(min(latencyCount, latencies.count)))
        return Snapshot(name: name, framesIn: framesIn, framesOut: framesOut, dropped: dropped, errors: errors,
                        cpuSeconds: cpuSeconds, latency: Statistics(recent), bytes: bytes)
    }
}
