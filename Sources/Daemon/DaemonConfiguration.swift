import BackdropCore
import Compositing
import Foundation

/// What `backdrop run` does, every value validated: built by `ConfigurationLoader` from the TOML
/// file, the environment and the command line.
public struct DaemonConfiguration: Sendable, Equatable {
    /// `/dev/videoN`, `camera:NAME`, a file, a URL or `lavfi:GRAPH`.
    public var source: String
    /// Pace a file at its frame rate.
    public var realtime = false
    /// Start a file again at its end.
    public var loop = false
    public var sinks: [SinkAddress]
    public var background: BackgroundMode = .blur(strength: BackgroundMode.defaultBlurStrength)
    public var preserve: [PreserveBox] = []
    /// `landscape`, `portrait` or a path to a `.tflite` model.
    public var model = "landscape"
    public var threads = 1
    /// The capture size asked of a camera, and the size of the pictures shown before any frame.
    public var cameraWidth = 1280
    public var cameraHeight = 720
    /// Open the camera only while an application reads the virtual camera.
    public var onDemand = false
    /// At most this many frames a second go to the sinks; 0 means as the source delivers.
    public var maxFPS = 0.0
    /// x264 quality of file sinks.
    public var crf = 20
    public var controlSocket: String
    /// The localhost port serving Prometheus metrics; nil when metrics are off.
    public var metricsPort: Int?
    /// The file the configuration came from, if any.
    public var file: String?

    public static let defaultMetricsPort = 9464

    public init(source: String, sinks: [SinkAddress], controlSocket: String) {
        self.source = source
        self.sinks = sinks
        self.controlSocket = controlSocket
    }

    /// The default control socket: the system unit's under `/run`, a user's under `XDG_RUNTIME_DIR`.
    public static func defaultControlSocket(environment: [String: String], isRoot: Bool = getuid() == 0) -> String {
        if !isRoot, let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime + "/backdrop/control.sock"
        }
        return "/run/backdrop/control.sock"
    }

    /// The first virtual-camera sink, which on-demand capture watches for readers.
    public var virtualCameraDevice: String? {
        for sink in sinks {
            if case let .virtualCamera(device) = sink { return device }
        }
        return nil
    }

    /// The value of `key` as the file would spell it, to compare configurations and show them.
    public func text(of key: ConfigurationKey) -> String {
        switch key {
        case .source: return source
        case .realtime: return String(realtime)
        case .loop: return String(loop)
        case .sinks: return sinks.map(\.description).joined(separator: ", ")
        case .background: return background.description
        case .preserve: return preserve.map(\.description).joined(separator: "; ")
        case .model: return model
        case .threads: return String(threads)
        case .cameraWidth: return String(cameraWidth)
        case .cameraHeight: return String(cameraHeight)
        case .onDemand: return String(onDemand)
        case .maxFPS: return String(maxFPS)
        case .crf: return String(crf)
        case .controlSocket: return controlSocket
        case .metricsEnabled: return String(metricsPort != nil)
        case .metricsPort: return metricsPort.map(String.init) ?? "off"
        default: return ""
        }
    }

    /// The keys whose values differ from `other`'s.
    public func changedKeys(comparedTo other: DaemonConfiguration) -> [ConfigurationKey] {
        ConfigurationKey.all.filter { text(of: $0) != other.text(of: $0) }
    }

    /// This configuration with the live keys of `other` taken over: what runs after a reload.
    public func applyingLiveKeys(of other: DaemonConfiguration) -> DaemonConfiguration {
        var result = self
        result.background = other.background
        result.preserve = other.preserve
        result.maxFPS = other.maxFPS
        return result
    }
}
