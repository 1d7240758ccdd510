import Foundation
import Logging
import ServiceLifecycle

/// `backdrop run`: the pipeline of a validated configuration as a long-running service, with
/// swift-service-lifecycle handling SIGTERM and SIGINT (graceful stop), SIGHUP reloading, the
/// control socket, optional Prometheus metrics, and systemd's notify protocol.
public final class Daemon: Sendable {
    private let configuration: DaemonConfiguration
    private let loader: ConfigurationLoader
    private let factories: DaemonFactories
    private let environment: [String: String]
    private let logger: Logger

    /// - Parameter loader: reads the configuration again on SIGHUP, with the same options and environment.
    public init(configuration: DaemonConfiguration, loader: ConfigurationLoader, factories: DaemonFactories,
                environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) {
        self.configuration = configuration
        self.loader = loader
        self.factories = factories
        self.environment = environment
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT, or until a finite source ends.
    public func run() async throws(DaemonError) {
        let hangups = HangupSignals()
        defer { hangups.cancel() }
        let notifier = SystemdNotifier(environment: environment)
        logger.notice("starting", metadata: [
            "source": "\(configuration.source)", "sinks": "\(configuration.sinks.map(\.description).joined(separator: ", "))",
            "background": "\(configuration.background)", "control": "\(configuration.controlSocket)",
            "metrics": "\(configuration.metricsPort.map { "127.0.0.1:\($0)" } ?? "off")",
        ])
        // Sockets first: a second daemon is refused before it touches the camera.
        let control: SocketListener
        do {
            control = try SocketListener.unix(path: configuration.controlSocket)
        } catch {
            throw .controlSocket(path: configuration.controlSocket, reason: error.reason)
        }
        var metrics: SocketListener?
        if let port = configuration.metricsPort {
            do {
                metrics = try SocketListener.loopback(port: port)
            } catch {
                throw .metrics(port: port, reason: error.reason)
            }
        }
        let runtime = try DaemonRuntime(configuration: configuration, loader: loader, factories: factories,
                                        notifier: notifier, logger: logger)
        var services: [any Service] = [
            ReloadService(hangups: hangups, runtime: runtime),
            HealthService(runtime: runtime),
            ListenerService(listener: control) { runtime.answer($0) },
        ]
        if let metrics {
            services.append(ListenerService(listener: metrics) { runtime.serveMetrics($0) })
        }
        // Graceful shutdown goes from the last service to the first: the pipeline stops first.
        services.append(PipelineService(runtime: runtime))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch let error as DaemonError {
            throw error
        } catch {
            throw .pipelineFailed("\(error)")
        }
    }
}
