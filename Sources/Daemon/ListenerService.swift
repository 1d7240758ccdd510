import ServiceLifecycle

/// Serves a listening socket (the control socket, the metrics port) on its own thread until
/// the daemon shuts down.
struct ListenerService: Service {
    let listener: SocketListener
    let handle: @Sendable (SocketConnection) -> Void

    func run() async throws {
        let listener = self.listener
        let handle = self.handle
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await PipelineService.onThread { listener.serve(handle) }
            } onGracefulShutdown: {
                listener.stop()
            }
        } onCancel: {
            listener.stop()
        }
    }
}
