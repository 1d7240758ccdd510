import BackdropCore
import Foundation
import Media
import Testing
import TestSupport

/// Damaged files must give fewer frames or a MediaError — never a crash or a hang.
@Suite struct CorruptInputTests {
    /// Frames read from `path`, or nil when opening/reading failed with a MediaError.
    private func framesOrError(_ path: String) -> Int? {
        do {
            return try readAll(path).1.count
        } catch {
            #expect(error is MediaError)
            #expect("\(error)".contains(path))
            return nil
        }
    }

    private func truncate(_ path: String, to fraction: Double) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: UInt64(Double(size) * fraction))
        try handle.close()
    }

    private func makeClip(_ path: String, extra: [String] = []) throws {
        try run("ffmpeg", ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "libx264"]
            + extra + [path])
    }

    @Test func truncatedMP4WithIndexAtTheEndFailsClearly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("cut.mp4")
        try makeClip(path)
        try truncate(path, to: 0.5)
        #expect(framesOrError(path) == nil, "the moov index is gone")
    }

    @Test func truncatedFastStartMP4GivesFewerFrames() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("cut.mp4")
        try makeClip(path, extra: ["-movflags", "+faststart"])
        try truncate(path, to: 0.5)
        let count = try #require(framesOrError(path))
        #expect(count > 0 && count < 50)
    }

    @Test func truncatedMKVGivesFewerFrames() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("cut.mkv")
        try makeClip(path)
        try truncate(path, to: 0.5)
        let count = try #require(framesOrError(path))
        #expect(count > 0 && count < 50)
    }

    @Test func damagedMiddleIsSkippedNotFatal() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("damaged.mkv")
        try makeClip(path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var generator = SplitMix64(seed: 7)
        for i in (bytes.count / 3)..<(bytes.count / 3 + 4000) { bytes[i] = UInt8(truncatingIfNeeded: generator.next()) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let count = try #require(framesOrError(path))
        #expect(count > 10)
    }

    @Test func randomGarbageFailsClearly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("garbage.mp4")
        var generator = SplitMix64(seed: 42)
        let bytes = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(framesOrError(path) == nil)
    }

    @Test func emptyFileFailsClearly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.mkv")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(framesOrError(path) == nil)
    }
}

