import Foundation
import Testing
import TestSupport

/// Garbled configuration files against the real binary: each gives exit 0 or 78 with a message,
/// never a crash. toml++ (in TOMLKit) aborts on some of these; the daemon parses in a child.
@Suite struct DaemonHostileConfigTests {
    static let pieces = ["[", "]", "[[", "]]", "=", "\"", "'", "\"\"\"", "\n", " ", "\t", ",", ".", "#", "{", "}", "source",
                         "sinks", "camera", "width", "-1", "1e400", "0x1F", "true", "1979-05-27T07:32:00Z", "07:32:00",
                         "\\u0000", "\u{0}", "\r", "é", "inf", "\u{FEFF}", "background", "color:", "0.5,0.5,0.5,0.5"]

    @Test func garbledFilesAreRefusedNeverFatal() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Known to make toml++ abort, then generated garbage.
        var texts = ["[,0.5\n", "a = [}\n", "-1=1979-05-27true07:32:00=1\n", "source = \"x\"\nsinks = [\"o.mkv\"]\n[\n"]
        var generator = SplitMix64(seed: 42)
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
