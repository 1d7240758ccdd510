import Foundation
import Glibc
import Synchronization

/// Forwards UDP datagrams from one loopback port to others, optionally dropping some on the way
/// to each: the lossy network of the RTP tests.
final class UDPRelay: Sendable {
    let port: Int
    private let socket: Int32
    private let stopped = Atomic<Bool>(false)
    private let forwarded = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let finished = Mutex<Bool>(false)

    /// Binds a free loopback port (with the next one free too, for the sender's RTCP).
    init() throws {
        var lastError: Int32 = 0
        for _ in 0..<20 {
            let candidate = Int.random(in: 12_000..<30_000) * 2
            guard UDPRelay.isFree(candidate + 1) else { continue }
            let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = UDPRelay.loopback(candidate)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 {
                var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                socket = fd
                port = candidate
                return
            }
            lastError = errno
            close(fd)
        }
        throw POSIXError(POSIXErrorCode(rawValue: lastError) ?? .EADDRINUSE)
    }

    deinit {
        close(socket)
    }

    var packetsForwarded: Int { forwarded.load(ordering: .relaxed) }
    var packetsDropped: Int { dropped.load(ordering: .relaxed) }

    /// Starts forwarding on a thread: each datagram (numbered from 0) goes to every target whose
    /// `drop` says false.
    func start(targets: [(port: Int, drop: @Sendable (Int) -> Bool)]) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            var index = 0
            while !stopped.load(ordering: .relaxed) {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { continue }
                for target in targets {
                    if target.drop(index) {
                        dropped.add(1, ordering: .relaxed)
                        continue
                    }
                    var address = UDPRelay.loopback(target.port)
                    _ = buffer.withUnsafeBytes { bytes in
                        withUnsafePointer(to: &address) {
                            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                                sendto(socket, bytes.baseAddress, count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                            }
                        }
                    }
                    forwarded.add(1, ordering: .relaxed)
                }
                index += 1
            }
            finished.withLock { $0 = true }
        }
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        while !finished.withLock({ $0 }) { usleep(10_000) }
    }

    static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Whether a UDP port on loopback can be bound right now.
    static func isFree(_ port: Int) -> Bool {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// An even port with the next one free (RTP and RTCP of a receiver).
    static func freePortPair() -> Int {
        while true {
            let port = Int.random(in: 12_000..<30_000) * 2
            if isFree(port) && isFree(port + 1) { return port }
        }
    }
}
