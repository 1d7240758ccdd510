import Foundation

/// One key of the daemon's configuration: its dotted name in the TOML file, what kind of value
/// it takes, whether a reload (SIGHUP) applies it to the running pipeline, and its `run` option.
///
/// The environment variable is derived: `BACKDROP_` + the name in capitals with `_` for `.`
/// (`camera.on_demand` is `BACKDROP_CAMERA_ON_DEMAND`). Lists there are separated by `;`.
public struct ConfigurationKey: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The shape of a value, checked before its content.
    public enum Kind: Sendable, Equatable, Hashable {
        case string, integer, number, boolean, list

        var name: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .number: return "a number"
            case .boolean: return "true or false"
            case .list: return "an array of strings"
            }
        }
    }

    public let name: String
    public let kind: Kind
    /// Applied by a reload without a restart.
    public let live: Bool
    /// The `backdrop run` option that overrides it, if any.
    public let flag: String?

    public var environmentName: String {
        "BACKDROP_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    public var description: String { name }

    public static let source = Self(name: "source", kind: .string, live: false, flag: "--source")
    public static let realtime = Self(name: "realtime", kind: .boolean, live: false, flag: "--realtime")
    public static let loop = Self(name: "loop", kind: .boolean, live: false, flag: "--loop")
    public static let sinks = Self(name: "sinks", kind: .list, live: false, flag: "--sink")
    public static let background = Self(name: "background", kind: .string, live: true, flag: "--background")
    public static let preserve = Self(name: "preserve", kind: .list, live: true, flag: "--preserve")
    public static let model = Self(name: "model", kind: .string, live: false, flag: "--model")
    public static let threads = Self(name: "threads", kind: .integer, live: false, flag: "--threads")
    public static let cameraWidth = Self(name: "camera.width", kind: .integer, live: false, flag: nil)
    public static let cameraHeight = Self(name: "camera.height", kind: .integer, live: false, flag: nil)
    public static let onDemand = Self(name: "camera.on_demand", kind: .boolean, live: false, flag: "--on-demand")
    public static let maxFPS = Self(name: "rates.max_fps", kind: .number, live: true, flag: "--max-fps")
    public static let crf = Self(name: "rates.crf", kind: .integer, live: false, flag: "--crf")
    public static let controlSocket = Self(name: "control.socket", kind: .string, live: false, flag: "--control-socket")
    public static let metricsEnabled = Self(name: "metrics.enabled", kind: .boolean, live: false, flag: nil)
    public static let metricsPort = Self(name: "metrics.port", kind: .integer, live: false, flag: "--metrics-port")

    /// Every key, in the order the example file lists them.
    public static let all: [ConfigurationKey] = [
        source, realtime, loop, sinks, background, preserve, model, threads,
        cameraWidth, cameraHeight, onDemand, maxFPS, crf, controlSocket, metricsEnabled, metricsPort,
    ]

    public static func named(_ name: String) -> ConfigurationKey? {
        all.first { $0.name == name }
    }
}
