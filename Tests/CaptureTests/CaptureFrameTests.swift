import BackdropCore
import Capture
import Foundation
import Testing
import TestSupport

@Suite("Captured frames against ffmpeg's pictures")
struct CaptureFrameTests {
    private func capture(_ format: PixelFormat, count: Int, rowPadding: Int = 0,
                         configure: (FakeCamera) -> Void = { _ in }) throws -> (V4L2CameraSource, [SourceEvent]) {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(format)])
        camera.rowPadding = rowPadding
        configure(camera)
        let source = try V4L2CameraSource(.path("/dev/video0"), request: CaptureRequest(width: 320, height: 240),
                                          provider: FakeV4L2System(["/dev/video0": camera]), logger: TestLog().logger)
        return (source, try CaptureFixtures.events(source, count: count))
    }

    @Test func yuyvLumaIsExactAndChromaIsTheVerticalMean() throws {
        let reference = try CaptureFixtures.frames().reference
        let (_, events) = try capture(.yuyv, count: 4, rowPadding: 64)
        let frames = CaptureFixtures.frames(of: events)
        #expect(frames.count == 4)
        for (index, frame) in frames.enumerated() {
            #expect(frame.y == reference[index].y)
            // ffmpeg's 4:2:0 -> 4:2:2 interpolates between chroma rows; averaging back is near, not exact.
            #expect(Quality.psnr(frame.u, reference[index].u) > 40)
            #expect(Quality.psnr(frame.v, reference[index].v) > 40)
        }
    }

    @Test func yuyvChromaIsTheRoundedMeanOfTwoRows() throws {
        // Every pixel pair: Y0 U Y1 V, with U and V changing from row to row.
        let (_, events) = try capture(.yuyv, count: 1) { camera in
            camera.frames = { _, size, _ in
                var bytes: [UInt8] = []
                for row in 0..<size.height {
                    let u: UInt8 = row % 2 == 0 ? 10 : 21, v: UInt8 = row % 2 == 0 ? 200 : 201
                    for pair in 0..<size.width / 2 {
                        bytes += [UInt8(truncatingIfNeeded: pair), u, UInt8(truncatingIfNeeded: pair + 1), v]
                    }
                }
                return bytes
            }
        }
        let frame = try #require(CaptureFixtures.frames(of: events).first)
        #expect(frame.u.allSatisfy { $0 == 16 })  // (10 + 21 + 1) / 2
        #expect(frame.v.allSatisfy { $0 == 201 })  // (200 + 201 + 1) / 2
        #expect(Array(frame.y.prefix(4)) == [0, 1, 1, 2])
    }

    @Test(arguments: [PixelFormat.nv12, .yuv420])
    func planarFormatsAreCopiedExactly(format: PixelFormat) throws {
        let reference = try CaptureFixtures.frames().reference
        let (_, events) = try capture(format, count: 3, rowPadding: 32)
        let frames = CaptureFixtures.frames(of: events)
        #expect(frames.count == 3)
        for (index, frame) in frames.enumerated() {
            #expect(frame.y == reference[index].y)
            #expect(frame.u == reference[index].u)
            #expect(frame.v == reference[index].v)
        }
    }

    @Test func mjpegIsDecodedCloseToTheSource() throws {
        let reference = try CaptureFixtures.frames().reference
        let (_, events) = try capture(.mjpeg, count: 4)
        let frames = CaptureFixtures.frames(of: events)
        #expect(frames.count == 4)
        for (index, frame) in frames.enumerated() {
            #expect(Quality.psnr(frame.y, reference[index].y) > 30)
            #expect(Quality.psnr(frame.u, reference[index].u) > 30)
            #expect(Quality.psnr(frame.v, reference[index].v) > 30)
        }
        // Pictures differ from frame to frame: the decoder is not handing back a stale one.
        #expect(frames[0].y != frames[1].y)
    }

    @Test func timestampsComeFromTheDriver() throws {
        let (_, events) = try capture(.yuyv, count: 5)
        let frames = CaptureFixtures.frames(of: events)
        #expect(frames.map(\.pts) == (0..<5).map { Int64($0) * (1_000_000 / 30) })
        #expect(frames.allSatisfy { $0.timeBase == V4L2CameraSource.timeBase })
    }

    @Test func shortRawFramesAreSkipped() throws {
        let (source, events) = try capture(.yuyv, count: 2) { camera in
            let frames = camera.frames
            camera.frames = { format, size, sequence in
                let full = frames(format, size, sequence)
                return sequence == 0 ? Array(full.prefix(full.count / 3)) : full  // a transfer cut short
            }
        }
        let reference = try CaptureFixtures.frames().reference
        let frames = CaptureFixtures.frames(of: events)
        #expect(source.skippedFrames == 1)
        #expect(frames.map(\.y) == [reference[1].y, reference[2].y])
    }

    @Test func damagedAndUndecodableFramesAreSkipped() throws {
        let (source, events) = try capture(.mjpeg, count: 4) { camera in
            camera.damagedSequences = [1]
            let frames = camera.frames
            camera.frames = { format, size, sequence in
                sequence == 3 ? [0xFF, 0xD8, 0x00, 0x13, 0x37] : frames(format, size, sequence)  // a torn JPEG
            }
        }
        let reference = try CaptureFixtures.frames().reference
        let frames = CaptureFixtures.frames(of: events)
        #expect(frames.count == 4)
        #expect(source.skippedFrames == 2)
        // Frames 0, 2, 4 and 5 of the camera, in order.
        for (frame, sequence) in zip(frames, [0, 2, 4, 5]) {
            #expect(Quality.psnr(frame.y, reference[sequence].y) > 30)
        }
    }
}
