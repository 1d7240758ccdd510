import BackdropCore
@testable import Daemon
import Testing

@Suite struct DaemonSourceTests {
    func isFrame(_ event: SourceEvent?) -> Bool {
        if case .frame? = event { return true }
        return false
    }

    func reason(_ event: SourceEvent?) -> String? {
        if case let .unavailable(reason)? = event { return reason }
        return nil
    }

    @Test func camerasAndStreamsAreWaitedForFilesAreNot() {
        for input in ["/dev/video0", "/dev/v4l/by-id/usb-cam-video-index0", "camera:Integrated Camera", "rtp://0.0.0.0:5004"] {
            #expect(DaemonFactories.reopens(input), "\(input)")
        }
        for input in ["clip.mp4", "/srv/loop.mkv", "lavfi:testsrc2"] {
            #expect(!DaemonFactories.reopens(input), "\(input)")
        }
    }

    @Test func aFileThatCannotBeOpenedFailsAtOnce() {
        let opener = FakeOpener()
        opener.available = false
        #expect(throws: FakeOpener.Refused.self) {
            _ = try DaemonSource(name: "clip.mp4", isLive: false, reopens: false, monitor: nil, state: sampleState(),
                                 logger: quietLogger(), sleep: { _ in }, open: opener.open)
        }
    }

    /// A boot without the camera: the pipeline gets "unavailable" events (the card), and frames
    /// once the camera appears, after the backoff.
    @Test func aMissingCameraIsWaitedForWithBackoff() throws {
        let opener = FakeOpener()
        opener.available = false
        let clock = FakeClock()
        let state = sampleState()
        var slept: [Double] = []
        let source = try DaemonSource(name: "/dev/video0", isLive: true, reopens: true, monitor: nil, state: state,
                                      logger: quietLogger(), sleep: { slept.append($0) }, clock: clock.read, open: opener.open)
        #expect(opener.attempts == 1)
        #expect(reason(try source.next()) == "no such device")
        #expect(opener.attempts == 1, "no second attempt inside the backoff")
        #expect(slept == [DaemonSource.unavailableInterval])
        #expect(state.camera == .unavailable("no such device"))
        clock.now += 0.6
        #expect(reason(try source.next()) != nil)
        #expect(opener.attempts == 2)
        // The wait doubles after each failure.
        clock.now += 0.6
        _ = try source.next()
        #expect(opener.attempts == 2)
        opener.available = true
        clock.now += 1.0
        #expect(isFrame(try source.next()))
        #expect(opener.attempts == 3)
        #expect(state.camera == .active)
    }

    @Test func anUnpluggedCameraIsReopened() throws {
        let opener = FakeOpener()
        let clock = FakeClock()
        let source = try DaemonSource(name: "/dev/video0", isLive: true, reopens: true, monitor: nil, state: sampleState(),
                                      logger: quietLogger(), sleep: { _ in }, clock: clock.read, open: opener.open)
        #expect(isFrame(try source.next()))
        opener.opened[0].failWith = FakeOpener.Refused()
        #expect(reason(try source.next())?.contains("failed") == true)
        #expect(opener.opened[0].closed)
        clock.now += 1
        #expect(isFrame(try source.next()))
        #expect(opener.opened.count == 2)
    }

    @Test func aFiniteFileEndsThePipeline() throws {
        let source = try DaemonSource(name: "clip.mp4", isLive: false, reopens: false, monitor: nil, state: sampleState(),
                                      logger: quietLogger(), sleep: { _ in }) { FakeSource(frames: 2) }
        #expect(isFrame(try source.next()))
        #expect(isFrame(try source.next()))
        #expect(try source.next() == nil)
    }

    /// On demand: no camera while nobody reads the virtual camera; open when a reader comes;
    /// closed again a grace period after the last one leaves.
    @Test func onDemandOpensTheCameraOnlyForReaders() throws {
        let opener = FakeOpener()
        let monitor = FakeMonitor()
        let clock = FakeClock()
        let state = sampleState()
        let source = try DaemonSource(name: "/dev/video0", isLive: true, reopens: true, monitor: monitor, state: state,
                                      logger: quietLogger(), sleep: { _ in }, clock: clock.read, open: opener.open)
        #expect(opener.attempts == 0)
        #expect(reason(try source.next()) != nil)
        #expect(state.camera == .idle)
        #expect(monitor.waited == [DaemonSource.idleInterval])
        #expect(opener.attempts == 0)

        monitor.readers = 1
        #expect(isFrame(try source.next()))
        #expect(opener.attempts == 1)
        #expect(state.camera == .active)

        monitor.readers = 0
        clock.now += 1
        #expect(isFrame(try source.next()), "kept open during the grace period")
        clock.now += DaemonSource.closeGrace
        #expect(reason(try source.next()) != nil)
        #expect(opener.opened[0].closed)
        #expect(state.camera == .idle)
    }

    @Test func theRateCapKeepsEvenlySpacedFrames() throws {
        let clock = FakeClock()
        let state = sampleState()
        var config = state.configuration
        config.maxFPS = 20
        state.configuration = config
        var delivered: [Int64] = []
        let source = try DaemonSource(name: "cam", isLive: true, reopens: true, monitor: nil, state: state,
                                      logger: quietLogger(), sleep: { _ in }, clock: clock.read) {
            TickingSource(clock: clock, interval: 1.0 / 30)
        }
        for _ in 0..<20 {
            if case let .frame(frame)? = try source.next() { delivered.append(frame.pts) }
        }
        // Source frames come at 30 a second; 20 a second keeps two of every three.
        let gaps = zip(delivered.dropFirst(), delivered).map { $0 - $1 }
        #expect(Set(gaps).isSubset(of: [1, 2]), "\(gaps)")
        let span = Double(delivered.last! - delivered.first!) / 30
        let rate = Double(delivered.count - 1) / span
        #expect(abs(rate - 20) < 1.5, "\(rate) fps")
    }
}

/// A camera whose frames advance the fake clock by one frame interval each.
final class TickingSource: FrameSource {
    let name = "ticking"
    let isLive = true
    let clock: FakeClock
    let interval: Double
    var count: Int64 = 0

    init(clock: FakeClock, interval: Double) {
        self.clock = clock
        self.interval = interval
    }

    func next() throws -> SourceEvent? {
        clock.now += interval
        count += 1
        return .frame(VideoFrame(width: 2, height: 2, fillY: 16, fillU: 128, fillV: 128, pts: count))
    }

    func close() {}
}
