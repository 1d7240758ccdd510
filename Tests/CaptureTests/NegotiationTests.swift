import BackdropCore
import CV4L2
import Capture
import Foundation
import Testing
import TestSupport

@Suite("Capture negotiation with a fake driver")
struct NegotiationTests {
    private func open(_ camera: FakeCamera, _ request: CaptureRequest, log: TestLog = TestLog()) throws -> V4L2CameraSource {
        try V4L2CameraSource(.path("/dev/video0"), request: request, provider: FakeV4L2System(["/dev/video0": camera]),
                             logger: log.logger)
    }

    @Test func sizeIsRoundedToTheNearestOfferedAndTheDifferenceLogged() throws {
        let sizes = [FrameSize(width: 160, height: 120), FrameSize(width: 320, height: 240), FrameSize(width: 640, height: 360)]
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv, sizes)])
        let log = TestLog()
        let source = try open(camera, CaptureRequest(width: 300, height: 200, frameRate: 30), log: log)
        #expect(source.format.width == 320 && source.format.height == 240)
        let frame = try #require(CaptureFixtures.frames(of: CaptureFixtures.events(source, count: 1)).first)
        #expect(frame.width == 320 && frame.height == 240)
        let notice = log.messages(atLeast: .notice).joined(separator: "\n")
        #expect(notice.contains("asked for 300x200"))
        #expect(notice.contains("320x240 YUYV"))
    }

    @Test func substitutedFormatIsAcceptedAndReported() throws {
        var nv12 = CaptureFixtures.mode(.nv12)
        nv12.isSubstituted = true
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv), nv12])
        let log = TestLog()
        let source = try open(camera, CaptureRequest(width: 320, height: 240, frameRate: 30, format: .nv12), log: log)
        #expect(source.format.pixelFormat == .yuyv)
        #expect(CaptureFixtures.frames(of: try CaptureFixtures.events(source, count: 2)).count == 2)
        let notice = log.messages(atLeast: .notice).joined(separator: "\n")
        #expect(notice.contains("NV12") && notice.contains("YUYV"))
    }

    @Test func formatNotOfferedFallsBackToAnOfferedOne() throws {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.mjpeg)])
        let log = TestLog()
        let source = try open(camera, CaptureRequest(width: 320, height: 240, frameRate: 30, format: .yuyv), log: log)
        #expect(source.format.pixelFormat == .mjpeg)
        #expect(log.messages(atLeast: .warning).contains { $0.contains("does not offer YUYV") })
    }

    @Test func frameRateIsTheNearestTheDriverOffers() throws {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv, rates: [30, 15])])
        let fast = try open(camera, CaptureRequest(width: 320, height: 240, frameRate: 60))
        #expect(fast.format.frameRate == Rational(30, 1))
        fast.close()
        let slow = try open(camera, CaptureRequest(width: 320, height: 240, frameRate: 15))
        #expect(slow.format.frameRate == Rational(15, 1))
    }

    @Test func uncompressedWinsWhenItFitsCompressedWhenItIsFaster() throws {
        let small = FrameSize(width: 320, height: 240), large = FrameSize(width: 640, height: 360)
        // Like most webcams: raw YUYV is only fast at small sizes, MJPEG is fast everywhere.
        var yuyv = CaptureFixtures.mode(.yuyv, [small, large], rates: [30])
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.mjpeg, [small, large], rates: [30]), yuyv])
        let atSmall = try open(camera, CaptureRequest(width: 320, height: 240, frameRate: 30))
        #expect(atSmall.format.pixelFormat == .yuyv)
        atSmall.close()

        yuyv.sizes = [small]
        camera.modes[1] = yuyv
        let atLarge = try open(camera, CaptureRequest(width: 640, height: 360, frameRate: 30))
        #expect(atLarge.format.pixelFormat == .mjpeg)
        #expect(atLarge.format.width == 640)
    }

    @Test func hardwareFormatsArePreferredToLibv4l2Emulation() throws {
        var emulated = CaptureFixtures.mode(.yuv420)
        emulated.isEmulated = true
        let camera = try CaptureFixtures.camera([emulated, CaptureFixtures.mode(.mjpeg)])
        let source = try open(camera, CaptureRequest(width: 320, height: 240, frameRate: 30))
        #expect(source.format.pixelFormat == .mjpeg)
    }

    @Test func driverWithoutEnumerationOrFrameRateControlStillStreams() throws {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv)])
        camera.refusedRequests = [V4L2Request<v4l2_frmsizeenum>.enumerateFrameSizes.code,
                                V4L2Request<v4l2_frmivalenum>.enumerateFrameIntervals.code,
                                V4L2Request<v4l2_streamparm>.setParameters.code,
                                V4L2Request<v4l2_streamparm>.getParameters.code]
        let source = try open(camera, CaptureRequest(width: 640, height: 480, frameRate: 30))
        #expect(source.format.frameRate == nil)
        #expect(source.format.width == 320)
        #expect(CaptureFixtures.frames(of: try CaptureFixtures.events(source, count: 3)).count == 3)
    }

    @Test func fakeRefusesRequestsItDoesNotKnow() throws {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv)])
        let device = try FakeV4L2System(["/dev/video0": camera]).open(path: "/dev/video0")
        // VIDIOC_S_CTRL = _IOWR('V', 28, struct v4l2_control): a control, which this driver lacks.
        var control = v4l2_control(id: 0x0098_0900, value: 1)
        #expect(throws: V4L2CallError(call: "VIDIOC_S_CTRL", code: ENOTTY)) {
            try device.ioctl(V4L2Request<v4l2_control>(code: 0xC008_561C, name: "VIDIOC_S_CTRL"), &control)
        }
        var format = v4l2_format()
        format.type = V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue  // a capture driver has no output queue
        #expect(throws: V4L2CallError(call: "VIDIOC_G_FMT", code: EINVAL)) { try device.ioctl(.getFormat, &format) }
        device.close()
    }
}
