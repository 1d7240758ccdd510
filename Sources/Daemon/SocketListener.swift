import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A listening socket served one connection at a time on the caller's thread: the control
/// socket (Unix, mode 0660) and the metrics port (TCP on 127.0.0.1 only). Connections get a
/// short timeout and a size limit, so a stuck or hostile client cannot hold the daemon.
final class SocketListener: @unchecked Sendable {
    // Sendable by construction: `fd` and `closed` belong to the serving thread (or to deinit when
    // it never served); `stop()` from another thread only sets `stopping` under `lock`.
    private let fd: Int32
    private let lock = NSLock()
    private var stopping = false
    private var closed = false
    /// The socket file to remove when done (Unix sockets only).
    private let path: String?
    static let clientTimeout = 2.0

    /// Why a listener could not be set up.
    struct Failure: Error, CustomStringConvertible {
        let address: String
        let reason: String
        var description: String { "\(address): \(reason)" }
    }

    private init(fd: Int32, path: String?) {
        self.fd = fd
        self.path = path
    }

    deinit {
        // Never served (the daemon failed to start): leave no socket behind.
        if !closed { closeSocket() }
    }

    private func closeSocket() {
        closed = true
        close(fd)
        if let path { unlink(path) }
    }

    /// A Unix stream socket at `path`, mode 0660 and, when this process is in it, group `video`.
    /// A stale socket left by a crash is replaced; one with a live daemon behind it is refused.
    static func unix(path: String, group: String = "video") throws(Failure) -> SocketListener {
        guard let address = UnixSocketAddress(path: path) else { throw Failure(address: path, reason: "path too long for a socket") }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        } catch {
            throw Failure(address: path, reason: "cannot create \(directory): \(error.localizedDescription)")
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else { throw Failure(address: path, reason: "exists and is not a socket") }
            if connects(to: address) {
                throw Failure(address: path, reason: "another backdrop is already listening there (backdrop status)")
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(address: path, reason: String(cString: strerror(errno))) }
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0, listen(fd, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(address: path, reason: reason)
        }
        if let video = getgrnam(group)?.pointee.gr_gid, isMember(of: video) { _ = chown(path, uid_t.max, video) }
        chmod(path, 0o660)
        return SocketListener(fd: fd, path: path)
    }

    /// A TCP socket on 127.0.0.1:`port`: never reachable from another machine.
    static func loopback(port: Int) throws(Failure) -> SocketListener {
        let name = "127.0.0.1:\(port)"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(address: name, reason: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(address: name, reason: reason)
        }
        return SocketListener(fd: fd, path: nil)
    }

    /// Accepts and hands each connection to `handle` until `stop()`; then closes the socket.
    func serve(_ handle: (SocketConnection) -> Void) {
        defer { closeSocket() }
        while !isStopping {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let connection = SocketConnection(fd: client, timeout: Self.clientTimeout)
            handle(connection)
            connection.close()
        }
    }

    func stop() {
        lock.withLock { stopping = true }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private static func connects(to address: UnixSocketAddress) -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        return address.withSockaddr { connect(probe, $0, $1) } == 0
    }

    private static func isMember(of group: gid_t) -> Bool {
        if getegid() == group { return true }
        var groups = [gid_t](repeating: 0, count: 256)
        let count = getgroups(Int32(groups.count), &groups)
        return count > 0 && groups.prefix(Int(count)).contains(group)
    }
}
