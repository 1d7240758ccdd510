/// The daemon's answer on the control socket, sent as one line of JSON.
public struct ControlResponse: Sendable, Codable {
    public var ok: Bool
    /// What was done, for people.
    public var message: String?
    /// Why the request failed, when `ok` is false.
    public var error: String?
    /// For `status`.
    public var status: DaemonStatus?

    public init(ok: Bool, message: String? = nil, error: String? = nil, status: DaemonStatus? = nil) {
        self.ok = ok
        self.message = message
        self.error = error
        self.status = status
    }

    public static func failure(_ error: String) -> ControlResponse {
        ControlResponse(ok: false, error: error)
    }
}
