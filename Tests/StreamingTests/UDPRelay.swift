import Foundation
import Synchronization
import TestSupport

/// Forwards UDP datagrams from `inPort` to `outPort` (and RTCP from `inPort + 1` to `outPort + 1`)
/// on 127.0.0.1, dropping and swapping RTP packets while `lossy` is set: a small stand-in for a bad
/// network. Runs on its own thread until `stop()`.
final class UDPRelay: Sendable {
    let inPort: Int
    let outPort: Int
    let dropRate: Double
    let reorderRate: Double
    /// Loss and reordering apply only while this is true.
    let lossy = Atomic<Bool>(true)
    let dropped = Atomic<Int>(0)
    let reordered = Atomic<Int>(0)
    let forwarded = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let sockets: [Int32]

    init(inPort: Int, outPort: Int, dropRate: Double, reorderRate: Double, seed: UInt64) throws {
        self.inPort = inPort
        self.outPort = outPort
        self.dropRate = dropRate
        self.reorderRate = reorderRate
        sockets = try [inPort, inPort + 1].map(Self.bind)
        let thread = Thread { [self] in run(seed: seed) }
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        _ = done.wait(timeout: .now() + 5)
        for fd in sockets { close(fd) }
    }

    private func run(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var held: [UInt8]?
        var buffer = [UInt8](repeating: 0, count: 65536)
        var polls = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while !stopped.load(ordering: .relaxed) {
            guard poll(&polls, nfds_t(polls.count), 50) > 0 else {
                if let packet = held { send(packet, to: outPort); held = nil }  // never hold past a lull
                continue
            }
            for (index, entry) in polls.enumerated() where entry.revents & Int16(POLLIN) != 0 {
                let count = recv(entry.fd, &buffer, buffer.count, 0)
                guard count > 0 else { continue }
                let packet = Array(buffer[0..<count])
                if index == 1 {
                    send(packet, to: outPort + 1)
                    continue
                }
                if lossy.load(ordering: .relaxed) {
                    if random.nextDouble() < dropRate {
                        dropped.add(1, ordering: .relaxed)
                        continue
                    }
                    if held == nil && random.nextDouble() < reorderRate {
                        held = packet  // goes out after the next packet
                        reordered.add(1, ordering: .relaxed)
                        continue
                    }
                }
                send(packet, to: outPort)
                if let packet = held { send(packet, to: outPort); held = nil }
            }
        }
        done.signal()
    }

    private func send(_ packet: [UInt8], to port: Int) {
        var address = Self.loopback(port)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(sockets[0], packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        forwarded.add(1, ordering: .relaxed)
    }

    static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func bind(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = loopback(port)
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, status == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw RelayError(reason: "binding UDP port \(port): \(reason)")
        }
        return fd
    }
}

struct RelayError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// Sends datagrams of random bytes to 127.0.0.1.
func sendGarbage(to port: Int, count: Int, seed: UInt64) {
    var random = SplitMix64(seed: seed)
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    defer { close(fd) }
    var address = UDPRelay.loopback(port)
    for _ in 0..<count {
        let length = 1 + Int(random.next() % 1400)
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}

