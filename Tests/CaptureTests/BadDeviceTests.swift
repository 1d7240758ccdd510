import BackdropCore
import Capture
import Foundation
import Testing
import TestSupport

@Suite("Devices that cannot be used")
struct BadDeviceTests {
    private func open(_ selector: CameraSelector, _ nodes: [String: FakeCamera]) throws(CaptureError) -> V4L2CameraSource {
        try V4L2CameraSource(selector, request: CaptureRequest(width: 320, height: 240), provider: FakeV4L2System(nodes),
                             logger: TestLog().logger)
    }

    @Test func missingNodeNamesThePathAndTheListingCommand() throws {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv)])
        #expect(throws: CaptureError.deviceNotFound(device: "/dev/video4", available: ["/dev/video0"])) {
            try open(.path("/dev/video4"), ["/dev/video0": camera])
        }
        let text = CaptureError.deviceNotFound(device: "/dev/video4", available: []).description
        #expect(text.contains("/dev/video4") && text.contains("backdrop devices"))
    }

    @Test func missingNameListsTheCamerasThereAre() throws {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv)], card: "Integrated Camera")
        #expect(throws: CaptureError.deviceNotFound(device: "Logitech", available: ["'Integrated Camera' (/dev/video0)"])) {
            try open(.name("Logitech"), ["/dev/video0": camera])
        }
        #expect(camera.openNodes == 0)
    }

    @Test func realProviderReportsAMissingNode() {
        do {
            _ = try V4L2CameraSource(.path("/dev/video-backdrop-missing"), logger: TestLog().logger)
            Issue.record("opened a node that does not exist")
        } catch {
            guard case let .deviceNotFound(device, _) = error else {
                Issue.record("expected deviceNotFound, got \(error)")
                return
            }
            #expect(device == "/dev/video-backdrop-missing")
        }
    }

    @Test func outputAndMetadataNodesAreNotCameras() throws {
        let loopback = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv)], card: "Backdrop camera")
        loopback.driver = "v4l2 loopback"
        loopback.capabilities = [.videoOutput, .streaming]
        let metadata = try CaptureFixtures.camera([], card: "Integrated Camera")
        metadata.capabilities = [.metadataCapture, .streaming]
        let nodes = ["/dev/video10": loopback, "/dev/video1": metadata]
        #expect(throws: CaptureError.notACaptureDevice(path: "/dev/video10", card: "Backdrop camera", kind: "a video output device")) {
            try open(.path("/dev/video10"), nodes)
        }
        do {
            _ = try open(.path("/dev/video1"), nodes)
            Issue.record("a metadata node opened as a camera")
        } catch {
            #expect(error.description.contains("metadata node"))
            #expect(error.description.contains("backdrop devices"))
        }
        #expect(loopback.openNodes == 0 && metadata.openNodes == 0)
    }

    @Test func noReadableFormatListsWhatTheDeviceOffers() throws {
        let h264 = FakeCamera.Mode(format: PixelFormat("H264")!, description: "H.264", sizes: [CaptureFixtures.small], frameRates: [30])
        let grey = FakeCamera.Mode(format: PixelFormat("Y10 ")!, description: "10-bit Greyscale", sizes: [CaptureFixtures.small], frameRates: [30])
        let camera = try CaptureFixtures.camera([h264, grey])
        let expected = CaptureError.noSupportedFormat(path: "/dev/video0", offered: ["H264 (H.264)", "Y10 (10-bit Greyscale)"])
        #expect(throws: expected) { try open(.path("/dev/video0"), ["/dev/video0": camera]) }
        #expect(expected.description.contains("supported: YUYV, NV12, YU12, MJPG"))
        #expect(camera.openNodes == 0)
    }

    @Test func tooFewBuffersIsRefusedAndEverythingReleased() throws {
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv)])
        camera.maxBuffers = 1
        #expect(throws: CaptureError.tooFewBuffers(path: "/dev/video0", count: 1)) {
            try open(.path("/dev/video0"), ["/dev/video0": camera])
        }
        #expect(camera.openNodes == 0 && camera.liveMappings == 0)
    }

    @Test func selectorsParseLikeTheCommandLine() {
        #expect(CameraSelector(input: "/dev/video0") == .path("/dev/video0"))
        #expect(CameraSelector(input: "/dev/v4l/by-id/usb-cam-video-index0") == .path("/dev/v4l/by-id/usb-cam-video-index0"))
        #expect(CameraSelector(input: "camera:Integrated Camera") == .name("Integrated Camera"))
        #expect(CameraSelector(input: "camera:/dev/video2") == .path("/dev/video2"))
        #expect(CameraSelector(input: "clip.mp4") == nil)
        #expect(CameraSelector(input: "lavfi:testsrc2") == nil)
        #expect(CameraSelector(input: "camera:") == nil)
    }
}
