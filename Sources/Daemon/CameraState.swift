/// Where the daemon's input stands, for status, metrics and logs.
public enum CameraState: Sendable, Equatable, CustomStringConvertible {
    /// Not opened yet.
    case starting
    /// Frames are arriving.
    case active
    /// Gone or not openable; the reason says why. Sinks get the background with a card meanwhile.
    case unavailable(String)
    /// On demand, with no application reading the virtual camera: the camera is closed.
    case idle

    public var description: String {
        switch self {
        case .starting: return "starting"
        case .active: return "active"
        case let .unavailable(reason): return "unavailable: \(reason)"
        case .idle: return "idle (closed until an application reads the virtual camera)"
        }
    }

    /// One word for metrics labels and terse status.
    public var word: String {
        switch self {
        case .starting: return "starting"
        case .active: return "active"
        case .unavailable: return "unavailable"
        case .idle: return "idle"
        }
    }
}
