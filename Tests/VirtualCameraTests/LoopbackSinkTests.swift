import BackdropCore
import CV4L2
import Foundation
import Testing
import VirtualCamera
import TestSupport

@Suite("Virtual camera sink against a fake loopback driver")
struct LoopbackSinkTests {
    /// A picture whose every sample depends on its position and `seed`, chroma differing per row.
    static func pattern(width: Int, height: Int, seed: Int = 0) -> VideoFrame {
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        let y = (0..<width * height).map { UInt8(truncatingIfNeeded: ($0 % width) * 3 + ($0 / width) * 7 + seed) }
        let u = (0..<cw * ch).map { UInt8(truncatingIfNeeded: ($0 % cw) * 5 + ($0 / cw) * 11 + seed) }
        let v = (0..<cw * ch).map { UInt8(truncatingIfNeeded: ($0 % cw) * 13 + ($0 / cw) * 2 + seed) }
        return VideoFrame(width: width, height: height, y: y, u: u, v: v, pts: Int64(seed))
    }

    private func sink(_ fake: FakeLoopbackDevice, format: LoopbackFormat = .yuyv, width: Int? = nil, height: Int? = nil,
                      log: TestLog = TestLog()) throws(VirtualCameraError) -> LoopbackSink {
        try LoopbackSink(device: fake.path, format: format, width: width, height: height, logger: log.logger,
                         open: { _ throws(LoopbackCallError) in fake })
    }

    /// Checks a YUYV picture at `stride` against the top-left `width` x `height` of `frame`,
    /// sampled every `step` pixels (1 = same size).
    private func expectYUYV(_ bytes: [UInt8], stride: Int, width: Int, height: Int, matches frame: VideoFrame,
                            step: Int = 1) {
        var lumaErrors = 0, chromaErrors = 0
        for row in 0..<height {
            for x in 0..<width where bytes[row * stride + 2 * x] != frame.y[row * step * frame.width + x * step] {
                lumaErrors += 1
            }
            for pair in 0..<width / 2 {
                let c = (row / 2) * step * frame.chromaWidth + pair * step
                if bytes[row * stride + 4 * pair + 1] != frame.u[c] || bytes[row * stride + 4 * pair + 3] != frame.v[c] {
                    chromaErrors += 1
                }
            }
        }
        #expect(lumaErrors == 0)
        #expect(chromaErrors == 0)
    }

    @Test func yuyvFramesAreLaidOutAtTheDriversStride() throws {
        let fake = FakeLoopbackDevice()
        fake.rowAlignment = 64
        let sink = try sink(fake)
        let frames = (0..<3).map { Self.pattern(width: 70, height: 48, seed: $0) }
        for frame in frames { try sink.write(frame) }
        let layout = try #require(sink.layout)
        #expect(layout == LoopbackLayout(format: .yuyv, width: 70, height: 48, bytesPerLine: 192, imageSize: 192 * 48))
        #expect(fake.frames.count == 3 && fake.frames.allSatisfy { $0.count == 192 * 48 })
        for (bytes, frame) in zip(fake.frames, frames) {
            expectYUYV(bytes, stride: 192, width: 70, height: 48, matches: frame)
        }
        #expect(sink.framesWritten == 3)
    }

    @Test func yuv420FramesArePlanarCopies() throws {
        let fake = FakeLoopbackDevice()
        fake.rowAlignment = 32
        let sink = try sink(fake, format: .yuv420)
        let frame = Self.pattern(width: 40, height: 20, seed: 9)
        try sink.write(frame)
        let bytes = try #require(fake.frames.first)
        let stride = 64, chromaStride = 32
        #expect(sink.layout?.bytesPerLine == stride)
        for row in 0..<20 {
            #expect(Array(bytes[row * stride..<row * stride + 40]) == Array(frame.y[row * 40..<row * 40 + 40]))
        }
        let uPlane = stride * 20, vPlane = uPlane + chromaStride * 10
        for row in 0..<10 {
            #expect(Array(bytes[uPlane + row * chromaStride..<uPlane + row * chromaStride + 20]) == Array(frame.u[row * 20..<row * 20 + 20]))
            #expect(Array(bytes[vPlane + row * chromaStride..<vPlane + row * chromaStride + 20]) == Array(frame.v[row * 20..<row * 20 + 20]))
        }
    }

    @Test func formatIsSetAtOpenWhenTheSizeIsKnownElseByTheFirstFrame() throws {
        let early = FakeLoopbackDevice()
        let known = try sink(early, width: 641, height: 361)
        #expect(early.setFormatCalls == 1)
        #expect(known.layout?.width == 640 && known.layout?.height == 360)  // even, always

        let late = FakeLoopbackDevice()
        let unknown = try sink(late)
        #expect(late.setFormatCalls == 0 && unknown.layout == nil)
        try unknown.write(Self.pattern(width: 64, height: 32))
        try unknown.write(Self.pattern(width: 64, height: 32, seed: 1))
        #expect(late.setFormatCalls == 1 && unknown.layout?.width == 64)
    }

    @Test func oddFramesAreCroppedToEven() throws {
        let fake = FakeLoopbackDevice()
        let sink = try sink(fake)
        let frame = Self.pattern(width: 71, height: 49)
        try sink.write(frame)
        #expect(sink.layout?.width == 70 && sink.layout?.height == 48)
        expectYUYV(try #require(fake.frames.first), stride: 140, width: 70, height: 48, matches: frame)
    }

    @Test func sizeTheDriverClampsIsUsedAndFramesScaled() throws {
        let fake = FakeLoopbackDevice()
        fake.maxSize = (64, 36)
        let log = TestLog()
        let sink = try sink(fake, log: log)
        let frame = Self.pattern(width: 128, height: 72)
        try sink.write(frame)
        #expect(sink.layout?.width == 64 && sink.layout?.height == 36)
        #expect(log.messages(atLeast: .notice).contains { $0.contains("asked for 128x72 YUYV, the device uses 64x36 YUYV") })
        #expect(log.messages(atLeast: .warning).contains { $0.contains("scaling") })
        expectYUYV(try #require(fake.frames.first), stride: 128, width: 64, height: 36, matches: frame, step: 2)
    }

    @Test func aFormatFixedByAnotherWriterIsAdopted() throws {
        let fake = FakeLoopbackDevice()
        var fixed = v4l2_pix_format()
        fixed.width = 32
        fixed.height = 16
        fixed.pixelformat = LoopbackFormat.yuv420.fourcc
        fixed.bytesperline = 32
        fixed.sizeimage = 32 * 16 * 3 / 2
        fake.fixedFormat = fixed
        let sink = try sink(fake, format: .yuyv)
        try sink.write(Self.pattern(width: 64, height: 32))
        #expect(sink.layout == LoopbackLayout(format: .yuv420, width: 32, height: 16, bytesPerLine: 32, imageSize: 768))
        #expect(fake.frames.first?.count == 768)
    }

    @Test func aFormatBackdropCannotWriteIsRefused() throws {
        let fake = FakeLoopbackDevice()
        fake.forcedPixelFormat = 0x3342_4752  // "RGB3"
        let sink = try sink(fake)
        #expect(throws: VirtualCameraError.formatRefused(path: "/dev/video10", asked: "64x32 YUYV",
                                                          reason: "the device uses RGB3, Backdrop writes YUYV or YU12")) {
            try sink.write(Self.pattern(width: 64, height: 32))
        }
    }

    @Test func nodesThatAreNotLoopbackOutputsAreRefusedWithTheFix() throws {
        for kind in [FakeLoopbackDevice.Kind.camera, .notV4L2] {
            let fake = FakeLoopbackDevice(path: "/dev/video0")
            fake.kind = kind
            do {
                _ = try sink(fake)
                Issue.record("\(kind) accepted as a virtual camera")
            } catch {
                guard case .notALoopbackOutput = error else {
                    Issue.record("expected notALoopbackOutput, got \(error)")
                    continue
                }
                #expect(error.description.contains("/dev/video0 is not a v4l2loopback output device"))
                #expect(error.description.contains("sudo modprobe v4l2loopback video_nr=10"))
            }
            #expect(fake.isClosed)
        }
        let busy = FakeLoopbackDevice()
        busy.kind = .loopbackInUse
        #expect(throws: VirtualCameraError.inUse(path: "/dev/video10", card: "Backdrop camera")) { try sink(busy) }
    }

    @Test func realNodesThatCannotBeVirtualCameras() {
        #expect(throws: VirtualCameraError.deviceNotFound(path: "/dev/video-backdrop-missing")) {
            try LoopbackSink(device: "/dev/video-backdrop-missing", logger: TestLog().logger)
        }
        #expect(VirtualCameraError.deviceNotFound(path: "/dev/video10").description.contains("modprobe v4l2loopback"))
        // /dev/null opens, but is no V4L2 device: QUERYCAP answers ENOTTY through Glibc's ioctl.
        do {
            _ = try LoopbackSink(device: "/dev/null", logger: TestLog().logger)
            Issue.record("/dev/null accepted as a virtual camera")
        } catch {
            #expect(error.description.contains("not a V4L2 device"))
        }
    }

    @Test func writeFailuresAndFinishing() throws {
        let fake = FakeLoopbackDevice()
        let sink = try sink(fake)
        try sink.write(Self.pattern(width: 16, height: 16))
        fake.writeError = ENODEV
        #expect(throws: VirtualCameraError.writeFailed(path: "/dev/video10", error: LoopbackCallError(call: "write", code: ENODEV))) {
            try sink.write(Self.pattern(width: 16, height: 16))
        }
        try sink.finish()
        try sink.finish()
        #expect(fake.isClosed)
        #expect(throws: VirtualCameraError.finished(path: "/dev/video10")) { try sink.write(Self.pattern(width: 16, height: 16)) }
        #expect(sink.name == "vcam:/dev/video10")
    }

    @Test func formatNames() {
        #expect(LoopbackFormat(name: "YUYV") == .yuyv)
        #expect(LoopbackFormat(name: "i420") == .yuv420)
        #expect(LoopbackFormat(name: "yu12") == .yuv420)
        #expect(LoopbackFormat(name: "rgb24") == nil)
    }
}
