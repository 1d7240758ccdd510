import BackdropCore
import Foundation
import Logging
import Pipeline
import ServiceLifecycle

/// Runs the frame pipeline as a service: started at once; on graceful shutdown (SIGTERM,
/// SIGINT) the source is asked to stop, the frames already taken are delivered, and every sink
/// is finished, so files are complete and devices closed. Ends when the pipeline does.
struct PipelineService: Service {
    let runtime: DaemonRuntime
    /// How long stopping may take before the daemon gives up on a clean finish.
    var stopTimeout = 20.0

    func run() async throws {
        let pipeline = runtime.pipeline
        let stop = StopRequest()
        pipeline.start()
        let finished = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await Self.onThread { () -> Bool in
                    while !pipeline.wait(timeout: 0.25) {
                        if let since = stop.since, MonotonicClock.now() - since > stopTimeout { return false }
                    }
                    return true
                }
            } onGracefulShutdown: {
                requestStop(stop, reason: "stopping: finishing the sinks")
            }
        } onCancel: {
            requestStop(stop, reason: "stopping at once")
        }
        guard finished else { throw DaemonError.stopTimedOut(seconds: stopTimeout) }
        if stop.since == nil {
            runtime.notifier.send("STOPPING=1")
            runtime.logger.notice("the source ended; stopping")
        } else {
            runtime.logger.notice("stopped", metadata: ["seconds": "\(String(format: "%.2f", MonotonicClock.now() - stop.since!))"])
        }
        if let source = pipeline.stageSnapshots.first(where: { $0.name == "source" }), source.errors > 0 {
            throw DaemonError.pipelineFailed("the source '\(pipeline.sourceName)' failed (see the log above)")
        }
    }

    private func requestStop(_ stop: StopRequest, reason: String) {
        guard stop.mark() else { return }
        runtime.notifier.send("STOPPING=1")
        runtime.logger.notice("\(reason)")
        runtime.pipeline.stop()
    }

    /// Runs blocking work on its own thread, off the cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = "backdrop-wait"
            thread.start()
        }
    }

    /// When a stop was first asked for.
    final class StopRequest: @unchecked Sendable {
        // Sendable by construction: `time` is guarded by `lock`.
        private let lock = NSLock()
        private var time: Double?

        var since: Double? { lock.withLock { time } }

        /// Records the request; false when one was already made.
        func mark() -> Bool {
            lock.withLock {
                guard time == nil else { return false }
                time = MonotonicClock.now()
                return true
            }
        }
    }
}
