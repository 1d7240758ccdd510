import BackdropCore
import Foundation
import Logging
import Media
import Segmentation
import Testing
@testable import SelectiveCodec
import TestSupport

@Suite("Encode, then decode")
struct RoundTripTests {
    /// Everything the sender knew, and everything the receiver rebuilt, for one file.
    struct Run {
        var results: [SelectiveEncoder.FrameResult] = []
        var stats: SelectiveEncoderStats
        var received: [SelectiveFrame] = []
        var senderBackgrounds: [UInt16: VideoFrame] = [:]
    }

    static func encodeAndDecode(frames: [VideoFrame], masks: [Mask], options: SelectiveEncoderOptions, frameRate: Rational,
                                path: String, logger: Logger) throws -> Run {
        let first = try #require(frames.first)
        let encoder = try SelectiveEncoder(destination: .file(path: path), width: first.width, height: first.height,
                                           frameRate: frameRate, timeBase: first.timeBase, options: options, logger: logger)
        var results: [SelectiveEncoder.FrameResult] = []
        var senderBackgrounds: [UInt16: VideoFrame] = [:]
        let renderers = SceneRenderers.builtIn()
        for (frame, mask) in zip(frames, masks) {
            results.append(try encoder.encode(frame, mask: mask))
            // The sender's own view of the background, from the description it sent.
            if let scene = encoder.currentScene, senderBackgrounds[scene.sceneID] == nil {
                senderBackgrounds[scene.sceneID] = try renderers.byFormat[scene.format]!.render(
                    scene.description, width: first.width, height: first.height)
            }
        }
        var run = Run(results: results, stats: try encoder.finish(), senderBackgrounds: senderBackgrounds)
        let reader = try SelectiveStreamReader(input: path, logger: logger)
        let decoder = SelectiveDecoder(logger: logger)
        while let picture = try reader.next() {
            run.received.append(decoder.decode(picture: picture.frame, sideData: picture.sideData))
        }
        return run
    }

    @Test("carphone: frames, timestamps, person PSNR at the default rate, masks and backgrounds identical; ffmpeg plays it")
    func carphone() throws {
        let (logger, store) = recordingLogger()
        let directory = try TemporaryDirectory()
        let reader = try MediaReader(url: try TestMedia.path("carphone_pristine.mp4"), logger: logger)
        var frames: [VideoFrame] = []
        while frames.count < 40, let item = try reader.next() {
            if case let .video(frame) = item { frames.append(frame) }
        }
        let coding = try ModelMaskSegmenter()
        let reference = try PersonSegmenter(model: "landscape")
        let masks = try frames.map { try coding.mask(for: $0) }
        let regions = try frames.map { RegionQuality.region(try reference.segment($0)) }
        let path = directory.file("carphone.mp4")
        // Keyframes every half second so the clip holds several refresh points.
        let options = SelectiveEncoderOptions(keyframeInterval: 0.5)
        let run = try Self.encodeAndDecode(frames: frames, masks: masks, options: options, frameRate: reader.frameRate,
                                           path: path, logger: logger)

        #expect(run.received.count == frames.count)
        for (received, frame) in zip(run.received, frames) { #expect(abs(received.picture.seconds - frame.seconds) < 1e-3) }
        var psnr = 0.0
        for (index, received) in run.received.enumerated() {
            #expect(received.mask == run.results[index].mask, "mask of frame \(index)")
            #expect(received.maskIsCurrent)
            #expect(received.maskSequence == run.results[index].sequence)
            #expect(received.composited)
            let background = try #require(received.background)
            let sceneID = try #require(received.sceneID)
            let sent = try #require(run.senderBackgrounds[sceneID])
            #expect(samePixels(background, sent), "background of frame \(index)")
            psnr += try #require(RegionQuality.psnr(reference: frames[index], test: received.picture, region: regions[index]))
        }
        psnr /= Double(frames.count)
        #expect(psnr >= 30, "person PSNR \(psnr) dB at the default CRF \(options.crf)")
        #expect(run.stats.bytes.mask > 0 && run.stats.bytes.scene > 0 && run.stats.bytes.picture > 0)
        #expect(run.stats.sceneKeyframes >= 3)
        #expect(store.messages(atLeast: .warning).isEmpty, "\(store.messages(atLeast: .warning))")

        // Any player: ffmpeg decodes it as plain H.264, to the same pictures.
        let raw = directory.file("ffmpeg.yuv")
        let ffmpeg = try BackdropBinary.run("/usr/bin/ffmpeg", ["-nostdin", "-hide_banner", "-v", "error", "-i", path,
                                                                "-f", "rawvideo", "-pix_fmt", "yuv420p", raw])
        #expect(ffmpeg.status == 0 && ffmpeg.stderr.isEmpty, "\(ffmpeg.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let size = frames[0].y.count + 2 * frames[0].u.count
        #expect(bytes.count == size * frames.count)
        for (index, received) in run.received.enumerated() where bytes.count >= (index + 1) * size {
            let picture = received.picture
            #expect(bytes[(index * size)..<(index * size + picture.y.count)].elementsEqual(picture.y), "frame \(index)")
        }
    }

    @Test("a synthetic clip with preserve boxes: boxes are kept, masks and timestamps survive")
    func syntheticWithBoxes() throws {
        let (logger, _) = recordingLogger()
        let directory = try TemporaryDirectory()
        let scene = SyntheticScene()
        let frames = (0..<20).map { scene.frame($0) }
        let masks = (0..<20).map { scene.mask($0).probability }
        var options = scene.options
        options.boxes = [PreserveBox(x: 0, y: 0, width: 32, height: 32)]
        let run = try Self.encodeAndDecode(frames: frames, masks: masks, options: options, frameRate: Rational(15, 1),
                                           path: directory.file("boxes.mkv"), logger: logger)
        #expect(run.received.count == 20)
        for (index, received) in run.received.enumerated() {
            // MKV counts in milliseconds: the same instants in another unit.
            #expect(abs(received.picture.seconds - frames[index].seconds) < 1e-3)
            #expect(received.mask == scene.mask(index))
            // The box shows the picture itself in the composite.
            var box = 0.0
            for y in 0..<32 {
                for x in 0..<32 { box += abs(Double(received.output.y[y * 160 + x]) - Double(frames[index].y[y * 160 + x])) }
            }
            #expect(box / 1024 < 8, "mean error in the box: \(box / 1024)")
        }
    }

    @Test("a stream without Backdrop side data decodes as plain video")
    func plainStream() throws {
        let (logger, _) = recordingLogger()
        let directory = try TemporaryDirectory()
        let scene = SyntheticScene()
        let frames = (0..<10).map { scene.frame($0) }
        var options = scene.options
        options.selective = false
        let run = try Self.encodeAndDecode(frames: frames, masks: (0..<10).map { scene.mask($0).probability }, options: options,
                                           frameRate: Rational(15, 1), path: directory.file("plain.mp4"), logger: logger)
        #expect(run.stats.bytes.mask == 0 && run.stats.bytes.scene == 0)
        #expect(run.received.count == 10)
        for received in run.received {
            #expect(!received.composited)
            #expect(received.mask == nil)
            #expect(samePixels(received.output, received.picture))
        }
        // The whole frame is there: the room too.
        #expect(lumaPSNR(run.received[5].picture, frames[5]) > 30)
    }
}
