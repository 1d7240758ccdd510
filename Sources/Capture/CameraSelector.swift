import CV4L2
import Foundation

/// Which camera to open: a device node, or a card name as VIDIOC_QUERYCAP reports it
/// ("Integrated Camera"), which survives renumbering when cameras are plugged in another order.
public enum CameraSelector: Sendable, Equatable, CustomStringConvertible {
    case path(String)
    case name(String)

    /// The prefix that names a camera by card name on the command line: `camera:Integrated Camera`.
    public static let namePrefix = "camera:"

    /// `/dev/…` is a path; `camera:NAME` (or `camera:/dev/…`) selects explicitly; nil for anything else
    /// (a file, a URL, a lavfi graph — not a camera).
    public init?(input: String) {
        if input.hasPrefix(Self.namePrefix) {
            let rest = String(input.dropFirst(Self.namePrefix.count))
            guard !rest.isEmpty else { return nil }
            self = rest.hasPrefix("/dev/") ? .path(rest) : .name(rest)
        } else if input.hasPrefix("/dev/video") || input.hasPrefix("/dev/v4l/") {
            self = .path(input)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case let .path(path): path
        case let .name(name): Self.namePrefix + name
        }
    }
}

/// Opens the node a selector names and checks that it captures video.
struct CameraOpener {
    let provider: any V4L2DeviceProvider

    func open(_ selector: CameraSelector) throws(CaptureError) -> (device: any V4L2Device, card: String) {
        switch selector {
        case let .path(path):
            return try open(path: path)
        case let .name(name):
            var cameras: [(path: String, card: String)] = []
            for path in provider.devicePaths() {
                guard let device = try? provider.open(path: path) else { continue }
                if let capability = try? DeviceQueries.capability(device), capability.nodeCapabilities.canCapture {
                    cameras.append((path, capability.cardName))
                }
                device.close()
            }
            let exact = cameras.filter { $0.card.caseInsensitiveCompare(name) == .orderedSame }
            let partial = cameras.filter { $0.card.localizedCaseInsensitiveContains(name) }
            guard let match = exact.first ?? (partial.count == 1 ? partial.first : nil) else {
                throw .deviceNotFound(device: name, available: cameras.map { "'\($0.card)' (\($0.path))" })
            }
            return try open(path: match.path)
        }
    }

    private func open(path: String) throws(CaptureError) -> (device: any V4L2Device, card: String) {
        let device: any V4L2Device
        do {
            device = try provider.open(path: path)
        } catch {
            switch error.code {
            case ENOENT, ENODEV, ENXIO: throw .deviceNotFound(device: path, available: provider.devicePaths())
            case EACCES, EPERM: throw .permissionDenied(path: path)
            case EBUSY: throw .busy(path: path)
            default: throw .setupFailed(path: path, error: error)
            }
        }
        let capability: v4l2_capability
        do {
            capability = try DeviceQueries.capability(device)
        } catch {
            device.close()
            throw .setupFailed(path: path, error: error)
        }
        let capabilities = capability.nodeCapabilities
        guard capabilities.canCapture, capabilities.contains(.streaming) else {
            device.close()
            let kind = capabilities.canCapture ? "a capture device without streaming I/O" : capabilities.kind
            throw .notACaptureDevice(path: path, card: capability.cardName, kind: kind)
        }
        return (device, capability.cardName)
    }
}
