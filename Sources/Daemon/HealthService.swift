import BackdropCore
import Foundation
import Logging
import ServiceLifecycle

/// Tells systemd how the daemon is doing: `READY=1` once the first sink has been fed ("camera
/// unavailable" frames count, so a boot without a camera is no start timeout), `STATUS=` with
/// the frame rate, and `WATCHDOG=1` only while frames keep moving through the pipeline, so a
/// hung stage stops the pings and systemd restarts the service.
struct HealthService: Service {
    let runtime: DaemonRuntime
    /// Between looks at the pipeline's counters.
    var tick = 0.1
    /// Between STATUS= updates and rate measurements.
    var statusInterval = 2.0

    func run() async throws {
        let pipeline = runtime.pipeline
        let notifier = runtime.notifier
        let state = runtime.state
        // systemd wants a ping at least every WATCHDOG_USEC; a third of it leaves room for a slow tick.
        let pingInterval = notifier.watchdogTimeout.map { $0 / 3 }
        var lastPing = MonotonicClock.now()
        var pingedAt = -1
        var rateStart = (time: MonotonicClock.now(), frames: 0)
        var lastStatus = -Double.infinity
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = MonotonicClock.now()
            let composited = pipeline.compositingStats.snapshot.framesIn
            if !state.ready, pipeline.sinkStats.contains(where: { $0.snapshot.framesIn > 0 }) {
                state.ready = true
                notifier.send("READY=1\nSTATUS=started; camera \(state.camera.word)")
                runtime.logger.notice("ready: frames are going to the sinks", metadata: ["camera": "\(state.camera)"])
            }
            if state.ready, let pingInterval, now - lastPing >= pingInterval, composited > pingedAt {
                notifier.send("WATCHDOG=1")
                lastPing = now
                pingedAt = composited
            }
            if now - rateStart.time >= statusInterval {
                state.fps = Double(composited - rateStart.frames) / (now - rateStart.time)
                rateStart = (now, composited)
            }
            if state.ready, now - lastStatus >= statusInterval {
                notifier.send("STATUS=" + statusLine())
                lastStatus = now
            }
            try? await Task.sleep(for: .seconds(tick))
        }
    }

    private func statusLine() -> String {
        let state = runtime.state
        let dropped = runtime.pipeline.stageSnapshots.reduce(0) { $0 + $1.dropped }
        var parts = [String(format: "%.1f fps", state.fps), "camera \(state.camera.word)", "\(dropped) dropped"]
        if runtime.pipeline.isPaused { parts.insert("paused", at: 0) }
        if !state.pendingRestart.isEmpty { parts.append("restart needed for \(state.pendingRestart.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }
}
