@testable import Daemon
import Foundation
import Testing

/// Nothing a client sends on the control socket may crash the daemon: every line gives a
/// request or an error. (Garbled configuration files are tried on the real binary, in
/// BackdropCLITests, since their parser runs in a child process.)
@Suite struct HostileInputTests {
    /// Deterministic pseudo-random bytes (SplitMix64), so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func garbledControlRequestsAreRefused() throws {
        var generator = Generator(state: 8)
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
