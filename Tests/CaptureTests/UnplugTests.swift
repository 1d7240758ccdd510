import BackdropCore
import Capture
import Foundation
import Testing
import TestSupport

@Suite("Unplugging and replugging the camera")
struct UnplugTests {
    /// A source over one fake camera whose backoff sleeps move the fake clock instead of waiting.
    private final class Rig {
        let camera: FakeCamera
        let system: FakeV4L2System
        var delays: [Double] = []
        let log = TestLog()

        init(_ format: PixelFormat = .yuyv, card: String = "Fake Camera") throws {
            camera = try CaptureFixtures.camera([CaptureFixtures.mode(format)], card: card)
            system = FakeV4L2System(["/dev/video0": camera])
        }

        func source(_ selector: CameraSelector = .path("/dev/video0")) throws -> V4L2CameraSource {
            try V4L2CameraSource(selector, request: CaptureRequest(width: 320, height: 240), provider: system,
                                 sleep: { [unowned self] delay in
                                     delays.append(delay)
                                     system.advance(bySeconds: delay)
                                 }, logger: log.logger)
        }
    }

    private func kinds(_ events: [SourceEvent]) -> String {
        events.map { if case .frame = $0 { "f" } else { "u" } }.joined()
    }

    @Test func unplugIsAnEventThenFramesResumeAfterBackoff() throws {
        let rig = try Rig()
        let source = try rig.source()
        rig.camera.unplug(afterFrames: 3, forSeconds: 1.6)
        let events = try CaptureFixtures.events(source, count: 8)
        // Three frames, the loss, two failed reopens (0.25 s, 0.75 s), then back after 1.75 s.
        #expect(kinds(events) == "fffuuuff")
        #expect(rig.delays == [0.25, 0.5, 1.0])
        if case let .unavailable(reason) = events[3] {
            #expect(reason.contains("/dev/video0"))
        }
        #expect(source.reconnections == 1)
        // The old node was closed and unmapped; only the new one is open.
        #expect(rig.camera.openNodes == 1)
        let frames = CaptureFixtures.frames(of: events)
        let gap = frames[3].seconds - frames[2].seconds
        #expect(gap >= 1.6 && gap < 2.0)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.pts < $1.pts })
        source.close()
        #expect(rig.camera.openNodes == 0)
        #expect(rig.camera.liveMappings == 0)
        #expect(try source.next() == nil)
    }

    @Test func backoffDoublesUpToItsCap() throws {
        let rig = try Rig()
        let source = try rig.source()
        rig.camera.unplug(afterFrames: 1, forSeconds: 20)
        let events = try CaptureFixtures.events(source, count: 10)
        // Back once 20 s have passed: 0.25 + 0.5 + 1 + 2 + 4 + 5 + 5 + 5 = 22.75.
        #expect(kinds(events) == "fuuuuuuuuf")
        #expect(rig.delays == [0.25, 0.5, 1, 2, 4, 5, 5, 5])
        #expect(rig.log.messages(atLeast: .notice).contains { $0.contains("is back") })
    }

    @Test func cameraOpenedByNameIsFoundAgainUnderAnotherNode() throws {
        let rig = try Rig(card: "Integrated Camera")
        let source = try rig.source(.name("integrated camera"))
        #expect(source.devicePath == "/dev/video0")
        rig.camera.unplug(afterFrames: 2, forSeconds: 0.1)
        var events = try CaptureFixtures.events(source, count: 3)
        rig.system.move("/dev/video0", to: "/dev/video2")
        events += try CaptureFixtures.events(source, count: 2)
        #expect(kinds(events) == "ffuff")
        #expect(source.devicePath == "/dev/video2")
    }

    @Test func stalledCameraIsReportedAndRestarted() throws {
        let rig = try Rig(.mjpeg)
        let source = try V4L2CameraSource(.path("/dev/video0"), request: CaptureRequest(width: 320, height: 240),
                                          provider: rig.system, frameTimeout: 0.05, sleep: { _ in },
                                          logger: rig.log.logger)
        var events = try CaptureFixtures.events(source, count: 1)
        rig.camera.isStalled = true
        events += try CaptureFixtures.events(source, count: 1)
        #expect(!source.isConnected)
        rig.camera.isStalled = false
        events += try CaptureFixtures.events(source, count: 2)
        #expect(kinds(events) == "fuff")
        #expect(source.isConnected)
        if case let .unavailable(reason) = events[1] {
            #expect(reason.contains("no frame"))
        }
        #expect(rig.camera.openNodes == 1)
    }
}
