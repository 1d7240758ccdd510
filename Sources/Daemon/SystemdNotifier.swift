import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// sd_notify without libsystemd: datagrams to the socket systemd names in `NOTIFY_SOCKET`
/// (`READY=1`, `STATUS=...`, `WATCHDOG=1`, `RELOADING=1`, `STOPPING=1`). Outside systemd it
/// does nothing. The watchdog interval comes from `WATCHDOG_USEC` when `WATCHDOG_PID` is unset
/// or is this process.
public final class SystemdNotifier: @unchecked Sendable {
    // Sendable by construction: the socket is only used under `lock`.
    private let lock = NSLock()
    private let fd: Int32
    private let address: UnixSocketAddress?
    /// How often systemd expects `WATCHDOG=1` at the latest, in seconds; nil without a watchdog.
    public let watchdogTimeout: Double?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path = environment["NOTIFY_SOCKET"], !path.isEmpty, let address = UnixSocketAddress(path: path) {
            self.address = address
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        } else {
            address = nil
            fd = -1
        }
        let pid = environment["WATCHDOG_PID"].flatMap { Int32($0) }
        if let text = environment["WATCHDOG_USEC"], let usec = Double(text), usec > 0, pid == nil || pid == getpid() {
            watchdogTimeout = usec / 1_000_000
        } else {
            watchdogTimeout = nil
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Whether systemd (or a test standing in for it) listens.
    public var isActive: Bool { fd >= 0 }

    /// Sends one notification, lines separated by newlines; failures are ignored, as sd_notify's are.
    public func send(_ message: String) {
        guard fd >= 0, let address else { return }
        let bytes = Array(message.utf8)
        lock.withLock {
            _ = address.withSockaddr { pointer, length in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), pointer, length) }
            }
        }
    }
}
