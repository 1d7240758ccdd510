import BackdropCore
import Foundation
import Logging
import Media
import Testing
import TestSupport

@Suite struct ProcessCommandTests {
    func frames(_ path: String) throws -> [VideoFrame] {
        let reader = try MediaReader(url: path, logger: Logger(label: "test"))
        var frames: [VideoFrame] = []
        while let item = try reader.next() { if case let .video(frame) = item { frames.append(frame) } }
        return frames
    }

    /// An empty test pattern has no person: with a green background the result is green.
    @Test func replacesAnEmptySceneWithTheColour() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.mkv").path
        let result = try BackdropBinary.run(["process", "lavfi:testsrc2=size=320x180:rate=10:duration=1", out,
                                             "--background", "color:00FF00"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("10 frames"))
        let output = try frames(out)
        #expect(output.count == 10)
        // BT.601 limited-range green is Y 145; allow for coding loss and any stray mask pixels.
        let meanY = Double(output[5].y.reduce(0) { $0 + Int($1) }) / Double(output[5].y.count)
        #expect(abs(meanY - 145) < 6, "mean luma \(meanY)")
    }

    /// A real talking head keeps its person, and audio is copied through.
    @Test func keepsThePersonAndCopiesAudio() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try TestMedia.path("carphone_pristine.mp4")
        let input = dir.appendingPathComponent("in.mp4").path
        let make = try BackdropBinary.run("/usr/bin/ffmpeg", [
            "-v", "error", "-i", clip, "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
            "-frames:v", "30", "-vf", "scale=352:288", "-c:v", "libx264", "-c:a", "aac", "-shortest", input,
        ])
        #expect(make.status == 0, "\(make.stderr)")
        let out = dir.appendingPathComponent("out.mp4").path
        let result = try BackdropBinary.run(["process", input, out, "--background", "color:0000FF"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try frames(out)
        #expect(output.count == 30)
        // Both the blue background and the person are there: luma spread is wide.
        let ys = output[15].y
        let blueish = ys.filter { abs(Int($0) - 41) < 12 }.count
        #expect(Double(blueish) / Double(ys.count) > 0.1)
        #expect(Double(blueish) / Double(ys.count) < 0.9)
        let probe = try BackdropBinary.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", out])
        #expect(probe.stdout.contains("audio"), "\(probe.stdout)")
    }

    @Test func badBackgroundIsAUsageError() throws {
        let result = try BackdropBinary.run(["process", "in.mp4", "out.mp4", "--background", "color:12345"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("12345"), "\(result.stderr)")
    }

    @Test func missingInputIsNamed() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try BackdropBinary.run(["process", "/nonexistent/clip.mp4", dir.appendingPathComponent("o.mp4").path])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/clip.mp4"), "\(result.stderr)")
    }

    @Test func unsupportedOutputIsRefused() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try BackdropBinary.run(["process", "lavfi:testsrc2=size=64x48:duration=0.2", dir.appendingPathComponent("o.gif").path])
        #expect(result.status == 73)
        #expect(result.stderr.contains(".mp4"), "\(result.stderr)")
    }

    @Test func missingModelIsAClearError() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var env = ProcessInfo.processInfo.environment
        env["BACKDROP_MODELS"] = "/nonexistent-models"
        env["HOME"] = dir.path
        let out = dir.appendingPathComponent("o.mp4").path
        let result = try BackdropBinary.run(["process", "lavfi:testsrc2=size=64x48:duration=0.2", out], environment: env)
        #expect(result.status != 0)
        #expect(result.stderr.contains("setup.sh"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
