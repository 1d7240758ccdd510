import BackdropCore
import Compositing
import Foundation
import Logging
import Media
import Processing
import Segmentation
import Testing

/// A segmenter that calls everything "person" except on the frames it is told to fail.
final class ScriptedSegmenter: FrameSegmenter {
    let failing: Set<Int>
    private var calls = 0
    var lastTimings = PersonSegmenter.Timings()

    init(failing: Set<Int>) { self.failing = failing }

    func reset() {}

    struct Failure: Error {}

    func segment(_ frame: VideoFrame) throws -> Mask {
        defer { calls += 1 }
        if failing.contains(calls) { throw Failure() }
        return Mask(width: frame.width, height: frame.height, fill: 1)
    }
}

@Suite struct FailClosedTests {
    func run(failing: Set<Int>) throws -> [VideoFrame] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-failclosed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.y4m").path
        var options = ProcessOptions()
        options.background = .color(red: 0, green: 0, blue: 255)
        let processor = try FileProcessor(
            input: "lavfi:testsrc2=size=64x48:rate=10:duration=0.6", output: output, options: options,
            segmenter: ScriptedSegmenter(failing: failing), logger: Logger(label: "test"))
        let summary = try processor.run()
        #expect(summary.frames == 6)
        #expect(summary.failedFrames == failing.count)
        let reader = try MediaReader(url: output, logger: Logger(label: "test"))
        var frames: [VideoFrame] = []
        while let item = try reader.next() { if case let .video(frame) = item { frames.append(frame) } }
        return frames
    }

    /// The first frame fails before any mask exists: it must be background only, never the room.
    @Test func firstFrameFailureShowsOnlyTheBackground() throws {
        let frames = try run(failing: [0])
        #expect(frames.count == 6)
        let blue = YUVColor(red: 0, green: 0, blue: 255)
        #expect(frames[0].y.allSatisfy { Int($0) == Int(blue.y) })
        #expect(frames[0].u.allSatisfy { Int($0) == Int(blue.u) })
        // Later frames are the (all-person) picture, so not the flat background.
        #expect(Set(frames[1].y).count > 10)
    }

    /// A later failure reuses the last good mask: the frame goes out as the previous ones did.
    @Test func laterFailureReusesTheLastMask() throws {
        let frames = try run(failing: [3])
        #expect(frames.count == 6)
        #expect(Set(frames[3].y).count > 10)
    }
}

@Suite struct FailClosedBlurTests {
    /// Blur mode without any mask must not send a blur of the room: a flat neutral picture instead.
    @Test func blurModeWithoutAMaskSendsAFlatPicture() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-failclosed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.y4m").path
        let processor = try FileProcessor(
            input: "lavfi:testsrc2=size=64x48:rate=10:duration=0.3", output: output, options: ProcessOptions(),
            segmenter: ScriptedSegmenter(failing: [0, 1, 2]), logger: Logger(label: "test"))
        let summary = try processor.run()
        #expect(summary.failedFrames == 3)
        let reader = try MediaReader(url: output, logger: Logger(label: "test"))
        while let item = try reader.next() {
            if case let .video(frame) = item { #expect(Set(frame.y).count == 1) }
        }
    }
}
