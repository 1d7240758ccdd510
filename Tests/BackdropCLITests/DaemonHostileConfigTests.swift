import Foundation
import Testing

/// Garbled configuration files against the real binary: each gives exit 0 or 78 with a message,
/// never a crash. toml++ (in TOMLKit) aborts on some of these; the daemon parses in a child.
@Suite struct DaemonHostileConfigTests {
    /// Deterministic pseudo-random numbers (SplitMix64), so a failure can be replayed.
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

    static let pieces = ["[", "]", "[[", "]]", "=", "\"", "'", "\"\"\"", "\n", " ", "\t", ",", ".", "#", "{", "}", "source",
                         "sinks", "camera", "width", "-1", "1e400", "0x1F", "true", "1979-05-27T07:32:00Z", "07:32:00",
                         "\\u0000", "\u{0}", "\r", "é", "inf", "\u{FEFF}", "background", "color:", "0.5,0.5,0.5,0.5"]

    @Test func garbledFilesAreRefusedNeverFatal() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Known to make toml++ abort, then generated garbage.
        var texts = ["[,0.5\n", "a = [}\n", "-1=1979-05-27true07:32:00=1\n", "source = \"x\"\nsinks = [\"o.mkv\"]\n[\n"]
        var generator = Generator(state: 42)
        for _ in 0..<40 {
            texts.append((0..<Int(generator.next() % 30)).map { _ in
                Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))]
            }.joined())
        }
        let environment = DaemonProcess.cleanEnvironment()
        for (index, text) in texts.enumerated() {
            let path = dir.appendingPathComponent("fuzz\(index).toml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try BackdropBinary.run(["config", "check", path], environment: environment)
            #expect(result.status == 0 || result.status == 78, "\(text.debugDescription): status \(result.status)\n\(result.stderr)")
            if result.status == 78 { #expect(result.stderr.contains("configuration error"), "\(result.stderr)") }
        }
    }
}
