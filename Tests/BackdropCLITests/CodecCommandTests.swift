import BackdropCore
import Foundation
import Logging
import Media
import Testing
import TestSupport

@Suite struct CodecCommandTests {
    /// encode then decode through the real binary: every frame back, stats written, and the
    /// stream is plain H.264 to ffprobe.
    @Test func encodeThenDecodeRoundTrips() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try TestMedia.path("carphone_pristine.mp4")
        let stream = dir.appendingPathComponent("s.mp4").path, stats = dir.appendingPathComponent("s.json").path
        let encoded = try BackdropBinary.run(["encode", clip, stream, "--stats", stats])
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stats))) as? [String: Any]
        #expect((json?["frames"] as? Int) == 120, "\(json ?? [:])")
        let probe = try BackdropBinary.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries",
                                                               "stream=codec_name", "-of", "csv=p=0", stream])
        #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "h264")
        let decodedPath = dir.appendingPathComponent("d.y4m").path
        let decoded = try BackdropBinary.run(["decode", stream, decodedPath])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let reader = try MediaReader(url: decodedPath, logger: Logger(label: "test"))
        var count = 0
        while let item = try reader.next() { if case .video = item { count += 1 } }
        #expect(count == 120)
    }

    @Test func selectiveSinkWritesAStreamDecodeReads() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = dir.appendingPathComponent("live.mkv").path
        let run = try BackdropBinary.run(["process", "lavfi:testsrc2=size=320x240:rate=15:duration=1", "selective:" + stream, "--realtime"])
        #expect(run.status == 0, "\(run.stderr)")
        let decoded = try BackdropBinary.run(["decode", stream, dir.appendingPathComponent("d.mkv").path])
        #expect(decoded.status == 0, "\(decoded.stderr)")
    }
}
