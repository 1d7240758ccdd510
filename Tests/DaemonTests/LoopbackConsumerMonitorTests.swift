@testable import Daemon
import Testing

@Suite struct LoopbackConsumerMonitorTests {
    /// Without v4l2loopback's usage events the monitor says so, and the daemon keeps the camera
    /// open. (The event path itself needs the kernel module, which this machine lacks.)
    @Test func aDeviceWithoutUsageEventsIsRefusedWithTheReason() {
        do {
            _ = try LoopbackConsumerMonitor(device: "/dev/null")
            Issue.record("/dev/null was taken for a v4l2loopback device")
        } catch {
            guard case .noUsageEvents = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("v4l2loopback 0.13"))
        }
        do {
            _ = try LoopbackConsumerMonitor(device: "/dev/video-none")
            Issue.record("a missing device was opened")
        } catch {
            guard case .open = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }
}
