/// One finding of `backdrop doctor`.
public struct Check: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case ok
        /// Works, but something a user would want is absent (e.g. no virtual camera).
        case warning
        /// Backdrop cannot do its job without this.
        case missing
    }

    public var area: String
    public var name: String
    public var status: Status
    public var detail: String
    /// The command that fixes it, when there is one.
    public var fix: String?

    public init(area: String, name: String, status: Status, detail: String, fix: String? = nil) {
        self.area = area
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
    }
}
