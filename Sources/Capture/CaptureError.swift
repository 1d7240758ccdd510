/// Why a camera could not be opened or set up, with what to do about it.
public enum CaptureError: Error, CustomStringConvertible, Equatable {
    /// No node at `path`, or no device with that card name among `available`.
    case deviceNotFound(device: String, available: [String])
    case permissionDenied(path: String)
    case busy(path: String)
    /// The node exists but cannot capture video (an output, a metadata node, a radio…).
    case notACaptureDevice(path: String, card: String, kind: String)
    /// The device offers nothing Backdrop can decode.
    case noSupportedFormat(path: String, offered: [String])
    /// The driver kept too few buffers to stream with.
    case tooFewBuffers(path: String, count: Int)
    /// Any other refused call while setting the device up.
    case setupFailed(path: String, error: V4L2CallError)

    public var description: String {
        switch self {
        case let .deviceNotFound(device, available):
            let list = available.isEmpty ? "there are no video devices" : "devices here: \(available.joined(separator: ", "))"
            return "no video device '\(device)' (\(list)); run `backdrop devices` to list cameras"
        case let .permissionDenied(path):
            return "no permission to open \(path); add your user to the 'video' group (sudo usermod -aG video $USER, then log in again)"
        case let .busy(path):
            return "\(path) is in use by another program; close it (fuser \(path) shows which) and try again"
        case let .notACaptureDevice(path, card, kind):
            return "\(path) ('\(card)') is \(kind), not a camera; run `backdrop devices` to find the capture node"
        case let .noSupportedFormat(path, offered):
            let list = offered.isEmpty ? "none" : offered.joined(separator: ", ")
            return "\(path) offers no pixel format Backdrop can read (it offers: \(list); supported: "
                + PixelFormat.decodable.map(\.description).joined(separator: ", ") + ")"
        case let .tooFewBuffers(path, count):
            return "\(path) granted only \(count) capture buffer(s); at least 2 are needed to stream"
        case let .setupFailed(path, error):
            return "setting up \(path) failed: \(error)"
        }
    }
}
