/// Why the daemon did not start or did not finish cleanly, with the exit status a service
/// manager acts on (sysexits): 78 means fix the configuration, and systemd does not restart.
public enum DaemonError: Error, CustomStringConvertible {
    case configuration(ConfigurationError)
    /// The segmentation model named by `model` is missing or unusable.
    case model(name: String, reason: String)
    /// A file source cannot be opened (cameras and streams are waited for instead).
    case source(name: String, reason: String)
    case sink(name: String, reason: String)
    case controlSocket(path: String, reason: String)
    case metrics(port: Int, reason: String)
    /// The running pipeline failed (its source broke).
    case pipelineFailed(String)
    /// Stopping took longer than allowed: outputs may be incomplete.
    case stopTimedOut(seconds: Double)

    public var description: String {
        switch self {
        case let .configuration(error):
            return error.description
        case let .model(name, reason):
            return "configuration error: key 'model' = \"\(name)\": the model cannot be used: \(reason); "
                + "allowed: landscape, portrait or a readable .tflite file (scripts/fetch-assets.sh models fetches the two)"
        case let .source(name, reason):
            return "cannot open the source '\(name)': \(reason)"
        case let .sink(name, reason):
            return "cannot open the sink '\(name)': \(reason)"
        case let .controlSocket(path, reason):
            return "cannot listen on the control socket \(path): \(reason); set control.socket or --control-socket"
        case let .metrics(port, reason):
            return "cannot serve metrics on 127.0.0.1:\(port): \(reason); set metrics.port or --metrics-port"
        case let .pipelineFailed(reason):
            return "the pipeline failed: \(reason)"
        case let .stopTimedOut(seconds):
            return "the pipeline did not stop within \(Int(seconds)) s; outputs may be incomplete"
        }
    }

    /// The process exit status for this error.
    public var exitStatus: Int32 {
        switch self {
        case .configuration, .model: return 78  // EX_CONFIG
        case .source: return 66                // EX_NOINPUT
        case .sink, .controlSocket, .metrics: return 73  // EX_CANTCREAT
        case .pipelineFailed, .stopTimedOut: return 1
        }
    }
}
