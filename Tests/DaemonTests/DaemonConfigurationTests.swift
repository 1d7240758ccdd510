import BackdropCore
import Compositing
@testable import Daemon
import Testing

@Suite struct DaemonConfigurationTests {
    func sample() -> DaemonConfiguration {
        DaemonConfiguration(source: "/dev/video0", sinks: [.virtualCamera(device: "/dev/video10")],
                            controlSocket: "/run/backdrop/control.sock")
    }

    /// What a reload applies live must be exactly the keys marked live.
    @Test func applyingLiveKeysTakesOverExactlyTheLiveOnes() {
        let running = sample()
        var next = sample()
        next.source = "/dev/video2"
        next.realtime = true
        next.loop = true
        next.sinks = [.file(path: "x.mkv")]
        next.background = .color(red: 1, green: 2, blue: 3)
        next.preserve = [PreserveBox(x: 0, y: 0, width: 0.5, height: 0.5)]
        next.model = "portrait"
        next.threads = 2
        next.cameraWidth = 640
        next.cameraHeight = 480
        next.onDemand = true
        next.maxFPS = 15
        next.crf = 30
        next.controlSocket = "/tmp/c.sock"
        next.metricsPort = 9000
        #expect(Set(next.changedKeys(comparedTo: running)) == Set(ConfigurationKey.all))
        let reloaded = running.applyingLiveKeys(of: next)
        let stillDifferent = Set(reloaded.changedKeys(comparedTo: next))
        #expect(stillDifferent == Set(ConfigurationKey.all.filter { !$0.live }))
    }

    @Test func environmentNamesFollowTheKeys() {
        #expect(ConfigurationKey.onDemand.environmentName == "BACKDROP_CAMERA_ON_DEMAND")
        #expect(ConfigurationKey.background.environmentName == "BACKDROP_BACKGROUND")
        #expect(Set(ConfigurationKey.all.map(\.name)).count == ConfigurationKey.all.count)
    }

    @Test func theVirtualCameraIsTheFirstVcamSink() {
        var config = sample()
        config.sinks = [.file(path: "a.mkv"), .virtualCamera(device: "/dev/video11"), .virtualCamera(device: "/dev/video12")]
        #expect(config.virtualCameraDevice == "/dev/video11")
        config.sinks = [.file(path: "a.mkv")]
        #expect(config.virtualCameraDevice == nil)
    }
}
