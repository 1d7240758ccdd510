/// What a client asks of the daemon over the control socket: one line of text, e.g.
/// `status`, `pause`, `resume`, `set background color:00FF00`. The answer is one line of JSON
/// (`ControlResponse`).
public enum ControlRequest: Sendable, Equatable, CustomStringConvertible {
    case status
    case pause
    case resume
    case setBackground(String)

    /// Why a request line was refused.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let line: String
        public var description: String {
            "unknown request '\(line.prefix(80))'; requests: status, pause, resume, set background MODE"
        }
    }

    public init(parsing line: String) throws(ParseError) {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
        switch (words.first, words.count) {
        case ("status", 1): self = .status
        case ("pause", 1): self = .pause
        case ("resume", 1): self = .resume
        case ("set", 3) where words[1] == "background": self = .setBackground(words[2])
        default: throw ParseError(line: line)
        }
    }

    /// The line sent on the socket, without its newline.
    public var description: String {
        switch self {
        case .status: return "status"
        case .pause: return "pause"
        case .resume: return "resume"
        case let .setBackground(mode): return "set background \(mode)"
        }
    }
}
