import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The client side of the control socket, for `backdrop status`, `set`, `pause` and `resume`.
public enum ControlClient {
    /// Why the daemon could not be asked.
    public enum Failure: Error, CustomStringConvertible {
        case notRunning(path: String, reason: String)
        case permissionDenied(path: String)
        case badAnswer(path: String, reason: String)

        public var description: String {
            switch self {
            case let .notRunning(path, reason):
                return "no backdrop daemon answers at \(path) (\(reason)); is it running? "
                    + "(systemctl status backdrop, or systemctl --user status backdrop; --socket PATH for another one)"
            case let .permissionDenied(path):
                return "not allowed to use \(path): the control socket is for its owner and the video group "
                    + "(sudo usermod -aG video $USER, then log in again)"
            case let .badAnswer(path, reason):
                return "the daemon at \(path) gave no usable answer: \(reason)"
            }
        }
    }

    /// The socket to talk to: `BACKDROP_CONTROL_SOCKET`, else the user's daemon when it has a
    /// socket, else the system daemon's.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment[ConfigurationKey.controlSocket.environmentName], !path.isEmpty { return path }
        let user = DaemonConfiguration.defaultControlSocket(environment: environment, isRoot: false)
        if FileManager.default.fileExists(atPath: user) { return user }
        return DaemonConfiguration.defaultControlSocket(environment: [:], isRoot: true)
    }

    public static func send(_ request: ControlRequest, to path: String, timeout: Double = 10) throws(Failure) -> ControlResponse {
        guard let address = UnixSocketAddress(path: path) else { throw .notRunning(path: path, reason: "path too long") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .notRunning(path: path, reason: String(cString: strerror(errno))) }
        let connection = SocketConnection(fd: fd, timeout: timeout)
        defer { connection.close() }
        guard address.withSockaddr({ connect(fd, $0, $1) }) == 0 else {
            let code = errno
            if code == EACCES || code == EPERM { throw .permissionDenied(path: path) }
            throw .notRunning(path: path, reason: String(cString: strerror(code)))
        }
        connection.write(Array((request.description + "\n").utf8))
        guard let answer = connection.read(until: [UInt8(ascii: "\n")], limit: 1 << 20) else {
            throw .badAnswer(path: path, reason: "no answer within \(Int(timeout)) s")
        }
        do {
            return try JSONDecoder().decode(ControlResponse.self, from: Data(answer))
        } catch {
            throw .badAnswer(path: path, reason: "\(error)")
        }
    }
}
