import Foundation
import Logging
import Media
import Testing
import TestSupport

@Suite struct ReceiveCommandTests {
    /// backdrop sends over RTP on loopback, backdrop receives from the SDP into a file.
    @Test(arguments: ["rtp", "selective:rtp"])
    func receivesWhatProcessSends(scheme: String) throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sdp = dir.appendingPathComponent("s.sdp").path, out = dir.appendingPathComponent("r.mkv").path
        let port = 20000 + Int.random(in: 0..<20000) * 2
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: BackdropBinary.path)
        sender.arguments = ["process", "lavfi:testsrc2=size=320x240:rate=15:duration=6", "\(scheme)://127.0.0.1:\(port)",
                            "--sdp", sdp, "--realtime", "--background", "color:00FF00"]
        sender.standardOutput = FileHandle.nullDevice
        sender.standardError = FileHandle.nullDevice
        try sender.run()
        defer { if sender.isRunning { sender.terminate() } }
        // The SDP appears with the first frame.
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: sdp) { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: sdp))
        let received = try BackdropBinary.run(["receive", sdp, out, "--frames", "20", "--timeout", "5"])
        #expect(received.status == 0, "\(received.stderr)")
        let reader = try MediaReader(url: out, logger: Logger(label: "test"))
        var frames = 0
        while let item = try reader.next() { if case .video = item { frames += 1 } }
        #expect(frames == 20)
    }

    @Test func aTruncatedSDPIsAClearError() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sdp = dir.appendingPathComponent("bad.sdp")
        try Data("v=0\no=- 0 0 IN IP4 127.0.0.1\nm=vid".utf8).write(to: sdp)
        let result = try BackdropBinary.run(["receive", sdp.path, dir.appendingPathComponent("o.mkv").path, "--timeout", "1"])
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("bad.sdp"))
    }
}
