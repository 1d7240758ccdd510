import ArgumentParser
import Daemon
import Foundation

/// `backdrop run`: the daemon, as systemd starts it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run as a service: camera in, background replaced, to the virtual camera, RTP or files, until stopped.",
        discussion: """
            Reads the TOML file (--config, else BACKDROP_CONFIG, else /etc/backdrop/backdrop.toml when it \
            exists); every key can be overridden by BACKDROP_* environment variables and by these options \
            (`backdrop config example` lists the keys). Without a file: backdrop run --source SOURCE --sink SINK. \
            SIGTERM or SIGINT stop cleanly (files finished, devices closed); SIGHUP reloads the file, applying \
            background, preserve and rates.max_fps at once. Under systemd (Type=notify) it reports READY, \
            STATUS and the watchdog. `backdrop status`, `set`, `pause` and `resume` talk to it over its \
            control socket. Exit status 78: the configuration is wrong (the message names the key).
            """)

    @Option(help: "The TOML configuration file.")
    var config: String?

    @Option(help: "/dev/videoN, camera:NAME, a file, a URL or lavfi:GRAPH (key: source).")
    var source: String?

    @Option(name: .customLong("sink"), help: "A sink: vcam:/dev/videoN, rtp://HOST:PORT, srtp://..., or a file; repeatable (key: sinks).")
    var sinks: [String] = []

    @Option(help: "blur, blur:STRENGTH, color:RRGGBB, image:PATH, synth or synth:THEME (key: background).")
    var background: String?

    @Option(name: .customLong("preserve"), help: "A region always kept, x,y,w,h in fractions of the frame; repeatable (key: preserve).")
    var preserve: [String] = []

    @Option(help: "landscape, portrait or a .tflite path (key: model).")
    var model: String?

    @Option(help: "XNNPACK threads, 1-64 (key: threads).")
    var threads: String?

    @Flag(inversion: .prefixedNo, help: "Pace a file source at its frame rate (key: realtime).")
    var realtime: Bool?

    @Flag(inversion: .prefixedNo, help: "Start a file source again at its end (key: loop).")
    var loop: Bool?

    @Flag(name: .customLong("on-demand"), inversion: .prefixedNo,
          help: "Open the camera only while an application reads the virtual camera (key: camera.on_demand).")
    var onDemand: Bool?

    @Option(name: .customLong("max-fps"), help: "At most this many frames a second to the sinks, 0 for no cap (key: rates.max_fps).")
    var maxFPS: String?

    @Option(help: "x264 CRF of file sinks, 0-51 (key: rates.crf).")
    var crf: String?

    @Option(name: .customLong("control-socket"), help: "The control socket's path (key: control.socket).")
    var controlSocket: String?

    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics on 127.0.0.1:PORT (keys: metrics.enabled, metrics.port).")
    var metricsPort: String?

    @OptionGroup var log: LogOptions

    /// The options given, by configuration key: they win over the environment and the file.
    var overrides: [String: [String]] {
        var values: [String: [String]] = [:]
        func set(_ key: ConfigurationKey, _ value: String?) { if let value { values[key.name] = [value] } }
        set(.source, source)
        if !sinks.isEmpty { values[ConfigurationKey.sinks.name] = sinks }
        set(.background, background)
        if !preserve.isEmpty { values[ConfigurationKey.preserve.name] = preserve }
        set(.model, model)
        set(.threads, threads)
        set(.realtime, realtime.map(String.init))
        set(.loop, loop.map(String.init))
        set(.onDemand, onDemand.map(String.init))
        set(.maxFPS, maxFPS)
        set(.crf, crf)
        set(.controlSocket, controlSocket)
        if let metricsPort {
            set(.metricsPort, metricsPort)
            set(.metricsEnabled, "true")
        }
        return values
    }

    func run() async throws {
        let logger = try log.makeLogger(label: "backdrop.daemon")
        let loader = ConfigurationLoader(path: config, overrides: overrides, parser: .currentExecutable)
        let configuration: DaemonConfiguration
        do {
            configuration = try await loader.load()
        } catch {
            logger.critical("\(error)")
            throw ExitStatus.config
        }
        let daemon = Daemon(configuration: configuration, loader: loader, factories: DaemonWiring.factories(logger: logger),
                            logger: logger)
        do {
            try await daemon.run()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(error.exitStatus)
        }
    }
}
