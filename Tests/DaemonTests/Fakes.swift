import BackdropCore
@testable import Daemon
import Foundation
import Logging

/// A source that hands out numbered frames, or fails, as the test says.
final class FakeSource: FrameSource {
    let name = "fake"
    let isLive = true
    var remaining: Int
    var failWith: Error?
    private(set) var delivered = 0
    private(set) var closed = false

    init(frames: Int = .max) {
        remaining = frames
    }

    func next() throws -> SourceEvent? {
        if let failWith { throw failWith }
        guard remaining > 0, !closed else { return nil }
        remaining -= 1
        delivered += 1
        return .frame(VideoFrame(width: 4, height: 4, fillY: 16, fillU: 128, fillV: 128, pts: Int64(delivered)))
    }

    func close() {
        closed = true
    }
}

/// Opens a `FakeSource` when told it can, counting the attempts.
final class FakeOpener: @unchecked Sendable {
    var available = true
    private(set) var attempts = 0
    private(set) var opened: [FakeSource] = []

    struct Refused: Error, CustomStringConvertible {
        var description: String { "no such device" }
    }

    func open() throws -> any FrameSource {
        attempts += 1
        guard available else { throw Refused() }
        let source = FakeSource()
        opened.append(source)
        return source
    }
}

/// Readers of the virtual camera as the test sets them.
final class FakeMonitor: ConsumerMonitor {
    var readers = 0
    private(set) var waited: [Double] = []

    func consumers(waitingUpTo timeout: Double) -> Int {
        if timeout > 0 { waited.append(timeout) }
        return readers
    }
}

/// Time that moves only when the test moves it.
final class FakeClock: @unchecked Sendable {
    var now = 1000.0
    func read() -> Double { now }
}

func quietLogger() -> Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}

func sampleState() -> DaemonState {
    DaemonState(configuration: DaemonConfiguration(source: "fake", sinks: [.virtualCamera(device: "/dev/video10")],
                                                   controlSocket: "/tmp/unused.sock"))
}
