import Foundation
import Pipeline
import Prometheus

/// The daemon's Prometheus metrics, brought up to date from the pipeline's counters at each
/// scrape: frames in, out, dropped and failed per stage, CPU time and latency per stage, the
/// output rate, the camera state and the privacy curtain, and the bytes each sink that counts
/// them has sent, by category (the selective stream's picture, mask and scene).
final class DaemonMetrics: @unchecked Sendable {
    // Sendable by construction: `render` updates under `lock`; the registry is thread-safe itself.
    private let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()
    private var counted: [String: StageStats.Snapshot] = [:]

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "backdrop", metricName: metric, unitName: unit, helpText: help)
    }

    private let fps = DaemonMetrics.name("output_frames", "per_second", "Frames a second going to the sinks.")
    private let paused = DaemonMetrics.name("paused", "", "1 while the privacy curtain is down.")
    private let uptime = DaemonMetrics.name("uptime", "seconds", "Seconds since the daemon started.")
    private let camera = DaemonMetrics.name("camera_state", "", "1 for the camera's current state.")
    private let framesIn = DaemonMetrics.name("stage_frames_in", "total", "Frames a stage took in.")
    private let framesOut = DaemonMetrics.name("stage_frames_out", "total", "Frames a stage handed on or wrote.")
    private let dropped = DaemonMetrics.name("stage_frames_dropped", "total", "Frames dropped before a stage because it was busy.")
    private let errors = DaemonMetrics.name("stage_errors", "total", "Frames a stage failed on.")
    private let cpu = DaemonMetrics.name("stage_cpu_seconds", "total", "CPU time a stage used.")
    private let bytes = DaemonMetrics.name("sink_bytes", "total", "Bytes a sink has sent, by what they carry.")
    private let latency = DaemonMetrics.name("stage_latency", "seconds",
                                      "Seconds from a frame's arrival to the end of the stage, over the last 1024 frames.")

    /// The text exposition format, after taking in the latest counters.
    func render(stages: [StageStats.Snapshot], fps: Double, paused: Bool, camera: CameraState, uptime: Double) -> [UInt8] {
        lock.withLock {
            for stage in stages { add(stage) }
            registry.makeGauge(descriptor: self.fps).set(fps)
            registry.makeGauge(descriptor: self.paused).set(paused ? 1.0 : 0.0)
            registry.makeGauge(descriptor: self.uptime).set(uptime)
            for word in ["starting", "active", "unavailable", "idle"] {
                registry.makeGauge(descriptor: self.camera, labels: [("state", word)]).set(word == camera.word ? 1.0 : 0.0)
            }
        }
        return registry.emitToBuffer()
    }

    /// Counters only go up: each scrape adds what the stage did since the previous one.
    private func add(_ stage: StageStats.Snapshot) {
        let labels = [("stage", stage.name)]
        let before = counted[stage.name]
        for (descriptor, now, then) in [(self.framesIn, stage.framesIn, before?.framesIn),
                                        (self.framesOut, stage.framesOut, before?.framesOut),
                                        (self.dropped, stage.dropped, before?.dropped),
                                        (self.errors, stage.errors, before?.errors)] {
            let counter = registry.makeCounter(descriptor: descriptor, labels: labels)
            if now > (then ?? 0) { counter.increment(by: Int64(now - (then ?? 0))) }
        }
        let cpu = registry.makeCounter(descriptor: self.cpu, labels: labels)
        let cpuDelta = stage.cpuSeconds - (before?.cpuSeconds ?? 0)
        if cpuDelta > 0 { cpu.increment(by: cpuDelta) }
        for (category, now) in stage.bytes ?? [:] {
            let delta = now - (before?.bytes?[category] ?? 0)
            let counter = registry.makeCounter(descriptor: self.bytes, labels: labels + [("category", category)])
            if delta > 0 { counter.increment(by: Int64(delta)) }
        }
        for (quantile, value) in [("0.5", stage.latency.median), ("0.99", stage.latency.p99)] {
            registry.makeGauge(descriptor: self.latency, labels: labels + [("quantile", quantile)]).set(value)
        }
        counted[stage.name] = stage
    }
}
