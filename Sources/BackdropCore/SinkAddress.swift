/// A sink as the user names it, the same on the command line, in the daemon's configuration
/// and in the codec: a path, `vcam:/dev/videoN`, `rtp://HOST:PORT[?options]`,
/// `srtp://HOST:PORT?key=FILE[&options]`, or `selective:` followed by one of the last two or a path.
public enum SinkAddress: Sendable, Equatable, CustomStringConvertible {
    case file(path: String)
    case virtualCamera(device: String)
    case rtp(host: String, port: Int, options: [String: String])
    case srtp(host: String, port: Int, options: [String: String])
    /// The selective stream (person, mask, scene description) of the codec, over `inner`.
    indirect case selective(SinkAddress)

    /// Why a sink name was refused.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let text: String
        public let reason: String
        public var description: String {
            "sink '\(text)': \(reason); use a file path (.mp4, .mkv, .y4m), vcam:/dev/videoN, rtp://HOST:PORT or srtp://HOST:PORT?key=FILE"
        }
    }

    public init(parsing text: String) throws(ParseError) {
        if text.hasPrefix("selective:") {
            let inner = try SinkAddress(parsing: String(text.dropFirst("selective:".count)))
            if case .selective = inner { throw ParseError(text: text, reason: "selective: given twice") }
            if case .virtualCamera = inner {
                throw ParseError(text: text, reason: "a virtual camera shows pictures, not a selective stream")
            }
            self = .selective(inner)
            return
        }
        if text.hasPrefix("vcam:") {
            let device = String(text.dropFirst("vcam:".count))
            guard device.hasPrefix("/dev/"), device.count > 5 else {
                throw ParseError(text: text, reason: "the virtual camera must be a device path such as /dev/video10")
            }
            self = .virtualCamera(device: device)
            return
        }
        for scheme in ["rtp", "srtp"] where text.hasPrefix(scheme + "://") {
            let rest = text.dropFirst(scheme.count + 3)
            let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let hostPort = String(parts[0])
            guard let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]),
                  (1...65535).contains(port) else {
                throw ParseError(text: text, reason: "expected \(scheme)://HOST:PORT with a port in 1...65535")
            }
            var host = String(hostPort[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { throw ParseError(text: text, reason: "the host is empty") }
            var options: [String: String] = [:]
            if parts.count == 2 {
                for pair in parts[1].split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2, !kv[0].isEmpty else {
                        throw ParseError(text: text, reason: "option '\(pair)' is not NAME=VALUE")
                    }
                    options[String(kv[0])] = String(kv[1])
                }
            }
            if scheme == "srtp" {
                guard options["key"] != nil else { throw ParseError(text: text, reason: "srtp needs ?key=FILE (the SRTP key file)") }
                self = .srtp(host: host, port: port, options: options)
            } else {
                self = .rtp(host: host, port: port, options: options)
            }
            return
        }
        guard !text.isEmpty else { throw ParseError(text: text, reason: "empty") }
        guard !text.contains("://") else { throw ParseError(text: text, reason: "unknown scheme") }
        self = .file(path: text)
    }

    public var description: String {
        func query(_ options: [String: String]) -> String {
            options.isEmpty ? "" : "?" + options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: "&")
        }
        func hostText(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
        switch self {
        case let .file(path): return path
        case let .virtualCamera(device): return "vcam:" + device
        case let .rtp(host, port, options): return "rtp://\(hostText(host)):\(port)" + query(options)
        case let .srtp(host, port, options): return "srtp://\(hostText(host)):\(port)" + query(options)
        case let .selective(inner): return "selective:" + inner.description
        }
    }
}
