import BackdropCore
import Compositing
import Configuration
import Foundation

/// Builds the daemon's configuration through swift-configuration from three layers, the first
/// that has a key winning: `backdrop run`'s options, `BACKDROP_*` environment variables, and the
/// TOML file (`FileProvider<TOMLSnapshot>`). Then every value is validated, and the first bad
/// one is reported with where it came from, the key, the value and what is allowed.
public struct ConfigurationLoader: Sendable {
    public static let defaultPath = "/etc/backdrop/backdrop.toml"

    /// `--config`; a file named here or in `BACKDROP_CONFIG` must exist.
    public var path: String?
    public var environment: [String: String]
    /// Option values by key name (`sinks` may have several).
    public var overrides: [String: [String]]
    /// Whether the default control socket is the system one.
    public var isRoot: Bool
    /// Parses the file in a child process; nil parses here (for well-formed test input only:
    /// toml++ aborts the process on some malformed files).
    public var parser: TOMLParserProcess?

    public init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                overrides: [String: [String]] = [:], isRoot: Bool = getuid() == 0, parser: TOMLParserProcess? = nil) {
        self.path = path
        self.environment = environment
        self.overrides = overrides
        self.isRoot = isRoot
        self.parser = parser
    }

    /// The file that is read: `--config`, else `BACKDROP_CONFIG`, else the default path if it exists.
    public var resolvedPath: String? {
        if let path { return path }
        if let path = environment["BACKDROP_CONFIG"], !path.isEmpty { return path }
        return FileManager.default.fileExists(atPath: Self.defaultPath) ? Self.defaultPath : nil
    }

    public func load() async throws(ConfigurationError) -> DaemonConfiguration {
        let filePath = resolvedPath
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "options", values: overrideValues()),
            EnvironmentVariablesProvider(environmentVariables: environment, arraySeparator: ";").prefixKeys(with: "backdrop"),
        ]
        if let filePath {
            let provider = try await Self.readFile(filePath, parser: parser)
            if let snapshot = provider.snapshot() as? TOMLSnapshot { try Self.checkKeys(snapshot, path: filePath) }
            providers.append(provider)
        }
        let values = Values(reader: ConfigReader(providers: providers), loader: self, filePath: filePath)
        return try values.configuration()
    }

    private func overrideValues() -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (name, items) in overrides {
            guard let key = ConfigurationKey.named(name) else { continue }
            let content: ConfigContent = key.kind == .list ? .stringArray(items) : .string(items.last ?? "")
            values[AbsoluteConfigKey(ConfigKey(name))] = ConfigValue(content, isSecret: false)
        }
        return values
    }

    private static func readFile(_ path: String, parser: TOMLParserProcess?) async throws(ConfigurationError)
        -> FileProvider<TOMLSnapshot> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileUnreadable(path: path, reason: "no such file; `backdrop config example` prints one to start from")
        }
        guard !isDirectory.boolValue else { throw .fileUnreadable(path: path, reason: "it is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .fileUnreadable(path: path, reason: "permission denied for user \(NSUserName())")
        }
        do {
            return try await FileProvider<TOMLSnapshot>(parsingOptions: .init(parser: parser), filePath: .init(path))
        } catch let error as TOMLSnapshot.SyntaxError {
            throw .syntax(path: path, error)
        } catch {
            throw .fileUnreadable(path: path, reason: "\(error)")
        }
    }

    /// Refuses keys nobody reads (a typo would otherwise be silently ignored) and values of the wrong shape.
    static func checkKeys(_ snapshot: TOMLSnapshot, path: String) throws(ConfigurationError) {
        for name in snapshot.values.keys.sorted() {
            let value = snapshot.values[name]!
            guard let key = ConfigurationKey.named(name) else {
                throw .unknownKey(path: path, key: name, suggestion: suggestion(for: name))
            }
            let fits: Bool
            switch (key.kind, value) {
            case (.string, .string), (.integer, .int), (.number, .int), (.number, .double), (.boolean, .bool),
                 (.list, .string):
                fits = true
            case let (.list, .array(items)):
                fits = items.allSatisfy { if case .string = $0 { true } else { false } }
            default:
                fits = false
            }
            if !fits {
                throw .wrongKind(origin: path, key: name, found: "\(value.kindName) (\(value))", expected: key.kind.name)
            }
        }
    }

    /// The known key closest to a misspelt one, when it is close enough to be what was meant.
    static func suggestion(for name: String) -> String? {
        let scored = ConfigurationKey.all.map { ($0.name, editDistance(name, $0.name)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else {
            // `width` for `camera.width`: the last part alone may match.
            return ConfigurationKey.all.first { $0.name.hasSuffix("." + name) }?.name
        }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The layered values of one load, read and validated key by key.
private struct Values {
    let reader: ConfigReader
    let loader: ConfigurationLoader
    let filePath: String?

    func origin(_ key: ConfigurationKey) -> String {
        if loader.overrides[key.name] != nil { return "option \(key.flag ?? key.name)" }
        if loader.environment[key.environmentName] != nil { return "environment variable \(key.environmentName)" }
        return filePath ?? "the defaults"
    }

    func text(_ key: ConfigurationKey) -> String? {
        reader.string(forKey: ConfigKey(key.name))
    }

    func list(_ key: ConfigurationKey) -> [String]? {
        reader.stringArray(forKey: ConfigKey(key.name))
    }

    func invalid(_ key: ConfigurationKey, _ value: String, _ allowed: String) -> ConfigurationError {
        .invalid(origin: origin(key), key: key.name, value: "\"\(value)\"", allowed: allowed)
    }

    func integer(_ key: ConfigurationKey, in range: ClosedRange<Int>, default value: Int, even: Bool = false) throws(ConfigurationError) -> Int {
        guard let text = text(key) else { return value }
        let evenText = even ? " (even)" : ""
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number), !even || number % 2 == 0 else {
            throw invalid(key, text, "an integer\(evenText) from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func boolean(_ key: ConfigurationKey, default value: Bool) throws(ConfigurationError) -> Bool {
        guard let text = text(key) else { return value }
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw invalid(key, text, "true or false")
        }
    }

    func configuration() throws(ConfigurationError) -> DaemonConfiguration {
        let fileHint = "set it in \(filePath ?? ConfigurationLoader.defaultPath), in \(ConfigurationKey.source.environmentName), or with"
        guard let source = text(.source)?.trimmingCharacters(in: .whitespaces), !source.isEmpty else {
            throw .missing(key: "source", hint: "\(fileHint) --source (e.g. /dev/video0)")
        }
        guard let sinkNames = list(.sinks), !sinkNames.isEmpty else {
            throw .missing(key: "sinks", hint: "\(fileHint) --sink (e.g. vcam:/dev/video10)")
        }
        var sinks: [SinkAddress] = []
        for name in sinkNames {
            let sink: SinkAddress
            do {
                sink = try SinkAddress(parsing: name)
            } catch {
                throw invalid(.sinks, name, "\(error.reason); a file path (.mp4, .mkv, .y4m), vcam:/dev/videoN, "
                    + "rtp://HOST:PORT[?options] or srtp://HOST:PORT?key=FILE")
            }
            guard !sinks.contains(sink) else { throw invalid(.sinks, name, "each sink once") }
            sinks.append(sink)
        }
        var config = DaemonConfiguration(
            source: source, sinks: sinks,
            controlSocket: DaemonConfiguration.defaultControlSocket(environment: loader.environment, isRoot: loader.isRoot))
        config.file = filePath
        config.realtime = try boolean(.realtime, default: false)
        config.loop = try boolean(.loop, default: false)
        if let text = text(.background) {
            do {
                config.background = try BackgroundMode(parsing: text)
            } catch {
                throw invalid(.background, text, error.description)
            }
            if case let .image(path) = config.background, !FileManager.default.isReadableFile(atPath: path) {
                throw invalid(.background, text, "image:PATH naming a readable picture file (PNG or JPEG); \(path) cannot be read")
            }
        }
        for text in list(.preserve) ?? [] {
            guard let box = PreserveBox(parsing: text) else { throw invalid(.preserve, text, PreserveBox.allowed) }
            config.preserve.append(box)
        }
        if let model = text(.model) {
            let builtin = ["landscape", "portrait"].contains(model)
            guard builtin || (model.hasSuffix(".tflite") && FileManager.default.isReadableFile(atPath: model)) else {
                throw invalid(.model, model, "landscape, portrait, or the path of a readable .tflite file")
            }
            config.model = model
        }
        config.threads = try integer(.threads, in: 1...64, default: 1)
        config.cameraWidth = try integer(.cameraWidth, in: 16...7680, default: 1280, even: true)
        config.cameraHeight = try integer(.cameraHeight, in: 16...4320, default: 720, even: true)
        config.onDemand = try boolean(.onDemand, default: false)
        if config.onDemand && config.virtualCameraDevice == nil {
            throw invalid(.onDemand, "true", "true only with a vcam:/dev/videoN sink, whose readers it watches")
        }
        if let text = text(.maxFPS) {
            guard let fps = Double(text.trimmingCharacters(in: .whitespaces)), fps == 0 || (fps > 0 && fps <= 240) else {
                throw invalid(.maxFPS, text, "0 (no cap) or frames per second above 0 up to 240")
            }
            config.maxFPS = fps
        }
        config.crf = try integer(.crf, in: 0...51, default: 20)
        if let socket = text(.controlSocket) {
            guard socket.hasPrefix("/"), socket.utf8.count <= 107, !socket.hasSuffix("/") else {
                throw invalid(.controlSocket, socket, "an absolute file path of at most 107 bytes")
            }
            config.controlSocket = socket
        }
        let port = try integer(.metricsPort, in: 1...65535, default: DaemonConfiguration.defaultMetricsPort)
        config.metricsPort = try boolean(.metricsEnabled, default: false) ? port : nil
        return config
    }
}
