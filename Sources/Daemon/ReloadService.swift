import ServiceLifecycle

/// Reloads the configuration on each SIGHUP until the daemon shuts down.
struct ReloadService: Service {
    let hangups: HangupSignals
    let runtime: DaemonRuntime

    func run() async throws {
        for await _ in hangups.signals.cancelOnGracefulShutdown() {
            runtime.logger.notice("SIGHUP: reloading the configuration")
            await runtime.reload()
        }
    }
}
