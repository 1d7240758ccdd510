import BackdropCore
import Foundation
import Media
import Testing
import TestSupport

@Suite struct MediaReaderTests {
    @Test func readsLavfiGraphFrameByFrame() throws {
        let (reader, frames, packets) = try readAll(testSource)
        #expect(reader.width == 320 && reader.height == 240)
        #expect(reader.frameRate == Rational(25, 1))
        #expect(frames.count == 25)
        #expect(packets.isEmpty)
        #expect(reader.audioStreamParameters == nil)
        for (previous, next) in zip(frames, frames.dropFirst()) { #expect(next.pts > previous.pts) }
        #expect(frames.allSatisfy { $0.width == 320 && $0.height == 240 && $0.timeBase == reader.timeBase })
        #expect(abs(frames[24].seconds - 0.96) < 1e-6)
        // testsrc2 moves: consecutive frames differ.
        #expect(frames[0].y != frames[1].y)
        #expect(try reader.next() == nil, "stays at the end")
    }

    @Test func cropsOddSizesToEven() throws {
        let (reader, frames, _) = try readAll("lavfi:testsrc2=size=321x241:rate=10:duration=0.5")
        #expect(reader.width == 320 && reader.height == 240)
        #expect(frames.count == 5)
        #expect(frames.allSatisfy { $0.width == 320 && $0.height == 240 && $0.u.count == 160 * 120 })
    }

    @Test func convertsOtherPixelFormats() throws {
        // rgb24 in, yuv420p out: white stays white, in limited range.
        let (_, frames, _) = try readAll("lavfi:color=c=white:size=64x48:rate=5:duration=0.4,format=rgb24")
        #expect(frames.count == 2)
        #expect(frames.allSatisfy { f in f.y.allSatisfy { $0 >= 233 && $0 <= 236 } && f.u.allSatisfy { abs(Int($0) - 128) <= 1 } })
    }

    @Test(arguments: ["320x240", "330x186", "250x142"])
    func convertsInterleavedChromaExactly(size: String) throws {
        // nv12 -> yuv420p only de-interleaves chroma (swscale's aligned-store path: odd chroma
        // strides once crashed it), so the result must equal the yuv420p original.
        let graph = "lavfi:testsrc2=size=\(size):rate=5:duration=0.4"
        let (_, planar, _) = try readAll(graph)
        let (_, interleaved, _) = try readAll(graph + ",format=nv12")
        #expect(planar.count == 2 && interleaved.count == 2)
        for (a, b) in zip(planar, interleaved) { #expect(a.y == b.y && a.u == b.u && a.v == b.v) }
    }

    @Test func estimatesFrameCountForFiles() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("clip.mkv")
        try run("ffmpeg", ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=2", "-c:v", "libx264", path])
        let (reader, frames, _) = try readAll(path)
        #expect(frames.count == 50)
        #expect(reader.estimatedFrameCount == 50)
    }

    @Test func missingInputNamesThePath() throws {
        let path = "/nonexistent/dir/clip.mp4"
        #expect {
            _ = try MediaReader(url: path, logger: testLogger)
        } throws: { error in
            guard case MediaError.openFailed(let failedPath, let message) = error else { return false }
            return failedPath == path && message.contains("No such file") && "\(error)".contains(path)
        }
    }

    @Test func audioOnlyInputHasNoVideoStream() throws {
        #expect(throws: MediaError.noVideoStream(path: "lavfi:sine=duration=1")) {
            _ = try MediaReader(url: "lavfi:sine=duration=1", logger: testLogger)
        }
    }
}
