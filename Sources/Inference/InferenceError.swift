import TFLite

/// Why a model could not be turned into a runnable network, or a run failed.
public enum InferenceError: Error, CustomStringConvertible {
    /// The model uses an operator, option or tensor arrangement the engine does not implement.
    case unsupported(operator: Int, kind: String, reason: String)
    /// The model's declared shapes contradict each other.
    case inconsistent(operator: Int, kind: String, reason: String)
    /// XNNPACK refused a step; `status` is its `xnn_status` code.
    case engine(step: String, status: Int)
    /// The model file could not be read or parsed.
    case model(TFLiteError)
    /// A named model could not be found where setup puts models.
    case modelNotFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case let .unsupported(op, kind, reason):
            return "unsupported model: operator \(op) (\(kind)): \(reason); Backdrop runs the MediaPipe selfie-segmentation models"
        case let .inconsistent(op, kind, reason):
            return "malformed model: operator \(op) (\(kind)): \(reason)"
        case let .engine(step, status):
            return "XNNPACK failed in \(step) (xnn_status \(status)); run `backdrop doctor` to check the CPU and libraries"
        case let .model(error):
            return error.description
        case let .modelNotFound(name, searched):
            return "model '\(name)' not found (looked in \(searched.joined(separator: ", "))); run scripts/setup.sh, or set BACKDROP_MODELS to the directory holding it"
        }
    }
}
