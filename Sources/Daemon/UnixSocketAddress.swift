import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `sockaddr_un` for a path, or for an abstract name when it starts with `@` (as systemd's
/// `NOTIFY_SOCKET` may). Shared by the notifier and the control socket.
struct UnixSocketAddress {
    private var storage = sockaddr_un()
    let length: socklen_t

    /// nil when the path does not fit in `sun_path` (108 bytes with its terminator).
    init?(path: String) {
        var bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { return nil }
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
        // An abstract name is exactly its bytes; a path carries its terminator.
        length = socklen_t(pathOffset + bytes.count + (bytes[0] == 0 ? 0 : 1))
    }

    /// Runs `body` with the address as a `sockaddr` pointer and its length.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
