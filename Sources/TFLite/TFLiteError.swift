/// Why a TFLite model file was refused. A model file is untrusted input: every refusal names what
/// was wrong and where.
public enum TFLiteError: Error, CustomStringConvertible, Equatable {
    /// A read would go outside the file: `what` at byte `offset` needs `length` bytes of `fileSize`.
    case outOfBounds(what: String, offset: Int, length: Int, fileSize: Int)
    /// A structurally invalid value (negative count, bad vtable, index out of range, ...).
    case malformed(String)
    /// The file does not look like a TFLite model at all.
    case notAModel(String)
    /// Something valid in TFLite that Backdrop does not implement.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .outOfBounds(what, offset, length, fileSize):
            return "malformed model: \(what) at byte \(offset) (+\(length)) lies outside the \(fileSize)-byte file; the file is truncated or corrupt — fetch it again with scripts/setup.sh"
        case let .malformed(reason):
            return "malformed model: \(reason); the file is corrupt — fetch it again with scripts/setup.sh"
        case let .notAModel(reason):
            return "not a TFLite model: \(reason)"
        case let .unsupported(reason):
            return "unsupported model: \(reason); use one of the MediaPipe selfie-segmentation models (--model landscape|portrait)"
        }
    }
}
