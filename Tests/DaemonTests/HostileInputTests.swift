@testable import Daemon
import Foundation
import Testing
import TestSupport

/// Nothing a client sends on the control socket may crash the daemon: every line gives a
/// request or an error. (Garbled configuration files are tried on the real binary, in
/// BackdropCLITests, since their parser runs in a child process.)
@Suite struct HostileInputTests {
    @Test func garbledControlRequestsAreRefused() throws {
        var generator = SplitMix64(seed: 8)
        for _ in 0..<500 {
            let bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let line = String(decoding: bytes, as: UTF8.self)
            if let request = try? ControlRequest(parsing: line) {
                // Only a well-formed line parses, and it prints back the same way.
                #expect(try ControlRequest(parsing: request.description) == request)
            }
        }
    }
}
