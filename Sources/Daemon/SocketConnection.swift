import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One accepted connection, owned by the thread serving it: bounded reads, whole writes.
final class SocketConnection {
    private var fd: Int32

    init(fd: Int32, timeout: Double) {
        self.fd = fd
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close()
    }

    /// Bytes up to and including `terminator` (or the end of the stream), at most `limit`;
    /// nil on a timeout, an error, or a request that does not fit.
    func read(until terminator: [UInt8], limit: Int) -> [UInt8]? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while data.count < limit {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return data.isEmpty ? nil : data }
            guard count > 0 else { return nil }
            data += chunk.prefix(count)
            if let range = data.firstRange(of: terminator) { return Array(data[..<range.upperBound]) }
        }
        return nil
    }

    /// Writes everything, or gives up at the first error or timeout.
    func write(_ bytes: [UInt8]) {
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }

    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}
