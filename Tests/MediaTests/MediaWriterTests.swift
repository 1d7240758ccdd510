import BackdropCore
import Foundation
import Media
import Testing
import TestSupport

@Suite struct MediaWriterTests {
    @Test(arguments: ["mp4", "mkv", "y4m"])
    func roundTripKeepsFramesAndQuality(container: String) throws {
        let directory = try TemporaryDirectory()
        let (reader, originals, _) = try readAll(testSource)
        let path = directory.file("out.\(container)")
        let writer = try writeAll(originals, from: reader, to: path)
        #expect(writer.framesWritten == 25)

        let (copy, frames, _) = try readAll(path)
        #expect(copy.width == 320 && copy.height == 240)
        #expect(copy.frameRate == Rational(25, 1))
        #expect(frames.count == originals.count)
        for (original, decoded) in zip(originals, frames) {
            if container == "y4m" {
                #expect(decoded.y == original.y && decoded.u == original.u && decoded.v == original.v)
            } else {
                #expect(lumaPSNR(original, decoded) > 35)
            }
            #expect(abs(decoded.seconds - original.seconds) < 1e-3)
        }
    }

    @Test(arguments: ["mp4", "mkv"])
    func copiesAudioPackets(container: String) throws {
        let directory = try TemporaryDirectory()
        let input = directory.file("in.mp4")
        try run("ffmpeg", ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
                           "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                           "-c:v", "libx264", "-c:a", "aac", "-shortest", input])
        let (reader, frames, packets) = try readAll(input)
        #expect(reader.audioStreamParameters?.codecName == "aac")
        #expect(reader.audioStreamParameters?.sampleRate == 44100)
        #expect(frames.count == 50)
        #expect(try packets.count == audioPacketCount(input))

        let output = directory.file("out.\(container)")
        let writer = try MediaWriter(path: output, width: reader.width, height: reader.height,
                                     frameRate: reader.frameRate, timeBase: reader.timeBase,
                                     audio: reader.audioStreamParameters, logger: testLogger)
        #expect(writer.hasAudio)
        // Interleave as a transcoder would: straight from the reader.
        let again = try MediaReader(url: input, logger: testLogger)
        while let item = try again.next() {
            switch item {
            case .video(let frame): try writer.write(frame)
            case .audio(let packet): try writer.write(packet)
            }
        }
        try writer.finish()
        #expect(try audioPacketCount(output) == packets.count)
        let (_, copied, copiedPackets) = try readAll(output)
        #expect(copied.count == 50)
        #expect(copiedPackets.count == packets.count)
    }

    @Test func dropsAudioTheContainerCannotHold() throws {
        let directory = try TemporaryDirectory()
        let input = directory.file("in.mkv")
        try run("ffmpeg", ["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=1",
                           "-f", "lavfi", "-i", "sine=duration=1", "-c:v", "libx264", "-c:a", "libopus", input])
        let (reader, frames, packets) = try readAll(input)
        #expect(!packets.isEmpty)
        let (logger, log) = recordingLogger()
        let output = directory.file("out.y4m")
        let writer = try writeAll(frames, packets: packets, from: reader, to: output, logger: logger)
        #expect(!writer.hasAudio)
        #expect(log.warnings().contains { $0.contains("opus") && $0.contains("without sound") })
        #expect(try readAll(output).1.count == 10)
    }

    @Test func refusesUnsupportedExtensions() throws {
        let directory = try TemporaryDirectory()
        for name in ["out.avi", "out", "dir.mp4/out"] {
            let path = directory.file(name)
            #expect(throws: MediaError.unsupportedContainer(path: path, allowed: ["mp4", "mkv", "y4m"])) {
                _ = try MediaWriter(path: path, width: 64, height: 48, frameRate: Rational(25, 1),
                                    timeBase: Rational(1, 25), audio: nil, logger: testLogger)
            }
        }
        let error = MediaError.unsupportedContainer(path: "x.avi", allowed: ["mp4", "mkv", "y4m"])
        #expect("\(error)".contains(".mp4, .mkv, .y4m"))
    }

    @Test func rejectsMismatchedFramesAndWritesAfterFinish() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.mkv")
        let writer = try MediaWriter(path: path, width: 64, height: 48, frameRate: Rational(25, 1),
                                     timeBase: Rational(1, 25), audio: nil, logger: testLogger)
        #expect(throws: MediaError.frameSizeMismatch(expectedWidth: 64, expectedHeight: 48, width: 32, height: 48)) {
            try writer.write(VideoFrame(width: 32, height: 48, fillY: 16, fillU: 128, fillV: 128))
        }
        #expect(throws: MediaError.self) {
            _ = try MediaWriter(path: directory.file("odd.mp4"), width: 63, height: 48, frameRate: Rational(25, 1),
                                timeBase: Rational(1, 25), audio: nil, logger: testLogger)
        }
        for i in 0..<3 {
            try writer.write(VideoFrame(width: 64, height: 48, fillY: 100, fillU: 90, fillV: 200, pts: Int64(i),
                                        timeBase: Rational(1, 25)))
        }
        try writer.finish()
        try writer.finish()
        #expect(throws: MediaError.writerFinished(path: path)) {
            try writer.write(VideoFrame(width: 64, height: 48, fillY: 16, fillU: 128, fillV: 128))
        }
        let (_, frames, _) = try readAll(path)
        #expect(frames.count == 3)
        #expect(frames.allSatisfy { abs(Int($0.y[64 * 24 + 32]) - 100) <= 2 })
    }

    @Test func repairsRepeatedTimestamps() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.mp4")
        let (logger, log) = recordingLogger()
        let writer = try MediaWriter(path: path, width: 64, height: 48, frameRate: Rational(25, 1),
                                     timeBase: Rational(1, 25), audio: nil, logger: logger)
        for _ in 0..<5 { try writer.write(VideoFrame(width: 64, height: 48, fillY: 50, fillU: 128, fillV: 128, pts: 7)) }
        try writer.finish()
        #expect(log.warnings().contains { $0.contains("do not increase") })
        #expect(try readAll(path).1.count == 5)
    }

    @Test func abandonedWriterClosesTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.mkv")
        do {
            let writer = try MediaWriter(path: path, width: 64, height: 48, frameRate: Rational(25, 1),
                                         timeBase: Rational(1, 25), audio: nil, logger: testLogger)
            for i in 0..<30 {
                try writer.write(VideoFrame(width: 64, height: 48, fillY: UInt8(i * 5), fillU: 128, fillV: 128,
                                            pts: Int64(i), timeBase: Rational(1, 25)))
            }
        }
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
