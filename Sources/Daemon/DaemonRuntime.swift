import BackdropCore
import Compositing
import Foundation
import Logging
import Media
import Pipeline
import Segmentation

/// The running daemon's parts, assembled from a validated configuration, and what acts on
/// them: status, the control requests, metrics, and reloads.
final class DaemonRuntime: Sendable {
    let pipeline: FramePipeline
    let state: DaemonState
    let notifier: SystemdNotifier
    let logger: Logger
    private let loader: ConfigurationLoader
    private let factories: DaemonFactories
    private let metrics = DaemonMetrics()
    /// The size background pictures are fitted to: the source's, or the configured camera size.
    private let frameWidth: Int
    private let frameHeight: Int

    init(configuration: DaemonConfiguration, loader: ConfigurationLoader, factories: DaemonFactories,
         notifier: SystemdNotifier, logger: Logger) throws(DaemonError) {
        let state = DaemonState(configuration: configuration)
        self.state = state
        self.loader = loader
        self.factories = factories
        self.notifier = notifier
        self.logger = logger

        let segmenter: any FrameSegmenter
        do {
            segmenter = try factories.makeSegmenter(configuration.model, configuration.threads)
        } catch {
            throw .model(name: configuration.model, reason: "\(error)")
        }
        let source = try Self.makeSource(configuration, factories: factories, state: state, logger: logger)
        let media = source.current as? MediaSource
        frameWidth = media?.width ?? configuration.cameraWidth
        frameHeight = media?.height ?? configuration.cameraHeight
        let background: Background
        do {
            background = try Self.resolve(configuration.background, factories: factories, width: frameWidth, height: frameHeight)
        } catch {
            throw .configuration(error)
        }
        var sinks: [any FrameSink] = []
        let request = DaemonFactories.SinkRequest(frameRate: media?.frameRate ?? Rational(30, 1), crf: configuration.crf)
        for address in configuration.sinks {
            do {
                sinks.append(try factories.makeSink(address, request))
            } catch {
                for sink in sinks { try? sink.finish() }
                source.close()
                throw .sink(name: address.description, reason: "\(error)")
            }
        }
        let card = UnavailableCard()
        pipeline = FramePipeline(source: source, segmenter: PreservingSegmenter(segmenter, state: state), sinks: sinks,
                                 background: background, fallbackSize: (frameWidth, frameHeight),
                                 unavailableOverlay: { card.draw(on: &$0, reason: $1) }, logger: logger)
    }

    private static func makeSource(_ configuration: DaemonConfiguration, factories: DaemonFactories, state: DaemonState,
                                   logger: Logger) throws(DaemonError) -> DaemonSource {
        var monitor: (any ConsumerMonitor)?
        if configuration.onDemand, let device = configuration.virtualCameraDevice {
            do {
                monitor = try factories.makeConsumerMonitor(device)
                logger.notice("on-demand capture: the camera opens while an application reads \(device)")
            } catch {
                logger.warning("on-demand capture is off: \(error)")
            }
        }
        let request = DaemonFactories.SourceRequest(input: configuration.source, realtime: configuration.realtime,
                                                    loop: configuration.loop, width: configuration.cameraWidth,
                                                    height: configuration.cameraHeight)
        let reopens = DaemonFactories.reopens(configuration.source)
        do {
            return try DaemonSource(name: configuration.source, isLive: reopens || configuration.realtime, reopens: reopens,
                                    monitor: monitor, state: state, logger: logger) { try factories.makeSource(request) }
        } catch {
            throw .source(name: configuration.source, reason: "\(error)")
        }
    }

    /// A background mode made ready to render; a picture that cannot be loaded is a configuration error.
    static func resolve(_ mode: BackgroundMode, factories: DaemonFactories, width: Int, height: Int)
        throws(ConfigurationError) -> Background {
        do {
            return try Background(mode) { try factories.loadImage($0, width, height) }
        } catch {
            throw .invalid(origin: "the background picture", key: ConfigurationKey.background.name,
                           value: "\"\(mode)\"", allowed: "a picture that can be decoded (PNG or JPEG); \(error)")
        }
    }

    // MARK: - Status and control

    var status: DaemonStatus {
        let configuration = state.configuration
        let camera = state.camera
        var detail: String?
        if case let .unavailable(reason) = camera { detail = reason }
        return DaemonStatus(
            pid: getpid(), uptimeSeconds: MonotonicClock.now() - state.startTime, ready: state.ready,
            paused: pipeline.isPaused, fps: state.fps, camera: camera.word, cameraDetail: detail,
            source: configuration.source, sinks: configuration.sinks.map(\.description), background: state.background,
            configFile: configuration.file, pendingRestart: state.pendingRestart, stages: pipeline.stageSnapshots)
    }

    /// Answers one control connection: a request line in, a JSON line out.
    func answer(_ connection: SocketConnection) {
        let response: ControlResponse
        if let bytes = connection.read(until: [UInt8(ascii: "\n")], limit: 4096) {
            let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                response = handle(try ControlRequest(parsing: line))
            } catch {
                response = .failure(error.description)
            }
        } else {
            response = .failure("no request line (at most 4096 bytes, ending in a newline, within \(Int(SocketListener.clientTimeout)) s)")
        }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(response)) ?? Data(#"{"ok":false,"error":"status could not be encoded"}"#.utf8)
        connection.write(Array(data) + [UInt8(ascii: "\n")])
    }

    func handle(_ request: ControlRequest) -> ControlResponse {
        switch request {
        case .status:
            return ControlResponse(ok: true, status: status)
        case .pause:
            pipeline.setPaused(true)
            logger.notice("paused: the sinks get the background only (privacy curtain)")
            return ControlResponse(ok: true, message: "paused: the sinks get the background only")
        case .resume:
            pipeline.setPaused(false)
            logger.notice("resumed")
            return ControlResponse(ok: true, message: "resumed")
        case let .setBackground(text):
            let mode: BackgroundMode
            do {
                mode = try BackgroundMode(parsing: text)
            } catch {
                return .failure(error.description)
            }
            do {
                pipeline.setBackground(try Self.resolve(mode, factories: factories, width: frameWidth, height: frameHeight))
            } catch {
                return .failure(error.description)
            }
            state.background = mode.description
            logger.notice("background set to \(mode) (until the next reload that changes it in the file)")
            return ControlResponse(ok: true, message: "background: \(mode)")
        }
    }

    /// Serves one metrics request: `GET /metrics` over HTTP/1.x.
    func serveMetrics(_ connection: SocketConnection) {
        guard let head = connection.read(until: Array("\r\n\r\n".utf8), limit: 8192) else { return }
        let requestLine = String(decoding: head.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        let body: [UInt8]
        let statusLine: String
        var contentType = "text/plain; charset=utf-8"
        if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            body = metrics.render(stages: pipeline.stageSnapshots, fps: state.fps, paused: pipeline.isPaused,
                                  camera: state.camera, uptime: MonotonicClock.now() - state.startTime)
            statusLine = "200 OK"
            contentType = "text/plain; version=0.0.4; charset=utf-8"
        } else {
            body = Array("Backdrop serves metrics at /metrics\n".utf8)
            statusLine = "404 Not Found"
        }
        let header = "HTTP/1.1 \(statusLine)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
            + "Connection: close\r\n\r\n"
        connection.write(Array(header.utf8) + body)
    }

    // MARK: - Reload

    /// Reads the configuration again and applies what can change live; an invalid file leaves
    /// everything as it is.
    func reload() async {
        notifier.send("RELOADING=1\nMONOTONIC_USEC=\(UInt64(MonotonicClock.now() * 1_000_000))")
        defer { notifier.send("READY=1") }
        let running = state.configuration
        let next: DaemonConfiguration
        do {
            next = try await loader.load()
        } catch {
            logger.error("reload refused, keeping the running configuration: \(error)")
            return
        }
        var applied: [String] = []
        if next.background != running.background {
            do {
                pipeline.setBackground(try Self.resolve(next.background, factories: factories, width: frameWidth, height: frameHeight))
            } catch {
                logger.error("reload refused, keeping the running configuration: \(error)")
                return
            }
            state.background = next.background.description
            applied.append("background = \(next.background)")
        }
        if next.preserve != running.preserve { applied.append("preserve = \(next.text(of: .preserve))") }
        if next.maxFPS != running.maxFPS { applied.append("rates.max_fps = \(next.maxFPS)") }
        let updated = running.applyingLiveKeys(of: next)
        state.configuration = updated
        let restart = updated.changedKeys(comparedTo: next).map(\.name)
        state.pendingRestart = restart
        let summary = applied.isEmpty ? "nothing to change live" : "applied " + applied.joined(separator: ", ")
        logger.notice("reloaded \(next.file ?? "the configuration"): \(summary)")
        if !restart.isEmpty {
            let keys = restart.joined(separator: ", ")
            logger.warning("changed in the configuration but applied only after a restart: \(keys) (systemctl restart backdrop)")
        }
    }
}
