import BackdropCore
import Capture
import Foundation
import Testing

@Suite("Listing devices")
struct DeviceListerTests {
    private func machine() throws -> FakeV4L2System {
        let large = FrameSize(width: 640, height: 360)
        let camera = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv, [CaptureFixtures.small, large], rates: [30, 15]),
                                                 CaptureFixtures.mode(.mjpeg, [large], rates: [30])],
                                                card: "Integrated Camera")
        var emulated = CaptureFixtures.mode(.yuv420)
        emulated.isEmulated = true
        camera.modes.append(emulated)
        let metadata = try CaptureFixtures.camera([], card: "Integrated Camera")
        metadata.capabilities = [.metadataCapture, .streaming]
        let loopback = try CaptureFixtures.camera([CaptureFixtures.mode(.yuyv, [FrameSize(width: 1280, height: 720)], rates: [30])],
                                                  card: "Backdrop camera")
        loopback.driver = VideoDeviceInfo.loopbackDriver
        loopback.busInfo = "platform:v4l2loopback-000"
        loopback.capabilities = [.videoOutput, .streaming]
        return FakeV4L2System(["/dev/video0": camera, "/dev/video1": metadata, "/dev/video10": loopback])
    }

    @Test func listsCamerasMetadataNodesAndLoopbacks() throws {
        let system = try machine()
        let devices = DeviceLister(provider: system).list()
        #expect(devices.map(\.path) == ["/dev/video0", "/dev/video1", "/dev/video10"])
        let camera = devices[0]
        #expect(camera.canCapture && !camera.isLoopback && camera.card == "Integrated Camera")
        #expect(camera.formats.map(\.fourcc) == ["YUYV", "MJPG"])  // libv4l2's emulated YU12 left out
        #expect(camera.formats[0].sizes.map { "\($0.width)x\($0.height)" } == ["320x240", "640x360"])
        #expect(camera.formats[0].sizes[0].frameRates == [30, 15])
        #expect(!devices[1].canCapture && devices[1].formats.isEmpty)
        #expect(devices[2].isLoopback && devices[2].canOutput && devices[2].formats.map(\.fourcc) == ["YUYV"])
        #expect(system.nodes.values.allSatisfy { $0.openNodes == 0 })

        let text = DeviceReport.text(devices)
        #expect(text.contains("/dev/video0  Integrated Camera  [uvcvideo, usb-0000:00:14.0-1]  camera: use /dev/video0"))
        #expect(text.contains("YUYV  YUYV 4:2:2: 320x240@30/15, 640x360@30/15"))
        #expect(text.contains("MJPG  Motion-JPEG: 640x360@30"))
        #expect(text.contains("/dev/video1") && text.contains("metadata node"))
        #expect(text.contains("use vcam:/dev/video10"))
        #expect(!text.contains("no virtual camera"))

        let decoded = try JSONDecoder().decode([VideoDeviceInfo].self, from: JSONEncoder().encode(devices))
        #expect(decoded == devices)
    }

    @Test func noDevicesSaysSoWithTheLoopbackHint() {
        let text = DeviceReport.text([])
        #expect(text.contains("no video devices"))
        #expect(text.contains("modprobe v4l2loopback video_nr=10"))
        #expect(text.contains("exclusive_caps=1"))
    }

    @Test func aCameraWithoutLoopbackStillGetsTheHint() throws {
        let system = try machine()
        system.nodes.removeValue(forKey: "/dev/video10")
        let text = DeviceReport.text(DeviceLister(provider: system).list())
        #expect(text.contains("no virtual camera; to create one"))
    }

    @Test func thisMachinesNodesAreListedThroughLibv4l2() {
        // Whatever this machine has (often nothing in CI): every node is reported, none crashes it.
        let paths = LibV4L2Provider().devicePaths()
        let devices = DeviceLister().list()
        #expect(devices.map(\.path) == paths)
        #expect(DeviceReport.text(devices).contains(paths.isEmpty ? "no video devices" : paths[0]))
    }
}
