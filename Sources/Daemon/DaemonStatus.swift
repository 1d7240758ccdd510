import Foundation
import Pipeline

/// What `backdrop status` shows: the daemon's state, rates and per-stage counters.
public struct DaemonStatus: Sendable, Codable {
    public var pid: Int32
    public var uptimeSeconds: Double
    /// The first sink has been fed.
    public var ready: Bool
    /// The privacy curtain is down: sinks get the background only.
    public var paused: Bool
    /// Frames a second going to the sinks, over the last few seconds.
    public var fps: Double
    /// `starting`, `active`, `unavailable` or `idle`.
    public var camera: String
    /// Why the camera is unavailable, when it is.
    public var cameraDetail: String?
    public var source: String
    public var sinks: [String]
    public var background: String
    public var configFile: String?
    /// Keys changed in the file that need a restart to apply.
    public var pendingRestart: [String]
    public var stages: [StageStats.Snapshot]

    /// A few lines for a terminal.
    public var text: String {
        var lines: [String] = []
        let state = !ready ? "starting" : paused ? "running, paused (privacy curtain: background only)" : "running"
        lines.append("backdrop \(state), pid \(pid), up \(Self.duration(uptimeSeconds))")
        lines.append("camera:     \(camera)" + (cameraDetail.map { " (\($0))" } ?? ""))
        lines.append("source:     \(source)")
        lines.append("sinks:      \(sinks.joined(separator: ", "))")
        lines.append("background: \(background)")
        lines.append(String(format: "rate:       %.1f frames/s", fps))
        if let configFile { lines.append("config:     \(configFile)") }
        if !pendingRestart.isEmpty {
            lines.append("restart needed to apply: \(pendingRestart.joined(separator: ", ")) (systemctl restart backdrop)")
        }
        lines.append("")
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        lines.append("stage".padding(toLength: 28, withPad: " ", startingAt: 0)
            + [right("frames", 9), right("dropped", 8), right("errors", 7), right("p50 ms", 9), right("p99 ms", 9),
               right("cpu ms", 9)].joined(separator: " "))
        for stage in stages {
            let cpu = stage.framesIn > 0 ? stage.cpuSeconds * 1000 / Double(stage.framesIn) : 0
            lines.append(String(stage.name.prefix(27)).padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%9d %8d %7d %9.1f %9.1f %9.2f", stage.framesOut, stage.dropped, stage.errors,
                         stage.latency.median * 1000, stage.latency.p99 * 1000, cpu))
            if let bytes = stage.bytes, !bytes.isEmpty {
                let parts = bytes.keys.sorted().map { "\($0) \(Self.size(bytes[$0]!))" }
                lines.append("  sent: " + parts.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Bytes in B, kB or MB (decimal, as bit rates are).
    static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        if bytes < 1_000_000 { return String(format: "%.1f kB", Double(bytes) / 1000) }
        return String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
    }
}
