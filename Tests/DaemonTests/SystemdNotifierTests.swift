@testable import Daemon
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SystemdNotifierTests {
    /// Binds a datagram socket where systemd's would be and returns it with a reader.
    func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        let address = try #require(UnixSocketAddress(path: path))
        #expect(address.withSockaddr { bind(fd, $0, $1) } == 0)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    func receive(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : nil
    }

    @Test func sendsToTheSocketSystemdNames() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("notify")
        let fd = try listen(at: path)
        defer { close(fd) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.isActive)
        notifier.send("READY=1\nSTATUS=ok")
        #expect(receive(fd) == "READY=1\nSTATUS=ok")
    }

    @Test func abstractSocketsWork() throws {
        let name = "@backdrop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try listen(at: name)
        defer { close(fd) }
        SystemdNotifier(environment: ["NOTIFY_SOCKET": name]).send("WATCHDOG=1")
        #expect(receive(fd) == "WATCHDOG=1")
    }

    @Test func theWatchdogIsForThisProcessOnly() {
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "3000000"]).watchdogTimeout == 3)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "\(getpid())"]).watchdogTimeout == 3)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "1"]).watchdogTimeout == nil)
        #expect(SystemdNotifier(environment: [:]).watchdogTimeout == nil)
        #expect(!SystemdNotifier(environment: [:]).isActive)
    }
}
