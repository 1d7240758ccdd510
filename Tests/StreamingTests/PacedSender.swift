import BackdropCore
import Foundation
import Logging
import Streaming
import Synchronization

/// Runs `body` on its own thread; `join` waits for it (bounded) and returns what it threw.
final class BackgroundWork: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<String?>(nil)

    init(_ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            do { try body() } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        thread.start()
    }

    /// nil when the work finished without error within `seconds`; otherwise what went wrong.
    func join(seconds: Double) -> String? {
        guard done.wait(timeout: .now() + seconds) == .success else { return "still running after \(seconds) s" }
        return failure.withLock { $0 }
    }
}

/// Sends frames through an `RTPSink` made and used on its own thread, paced like a camera: the
/// sink (and its SDP) exists once `waitUntilReady` returns; sending starts at `start()` and ends
/// after the last frame or at `stop()`.
final class PacedSender: Sendable {
    /// What the sending thread and the test share.
    final class State: Sendable {
        let framesWritten = Atomic<Int>(0)
        let sendErrors = Atomic<Int>(0)
        let stopped = Atomic<Bool>(false)
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
    }

    let state = State()
    private let work: BackgroundWork

    init(address: SinkAddress, sdpPath: String? = nil, frames: [VideoFrame], interval: Double, logger: Logger,
         beforeFrame: @escaping @Sendable (Int) -> Void = { _ in }) {
        let state = state
        work = BackgroundWork {
            let sink: RTPSink
            do {
                sink = try RTPSink(address: address, width: frames[0].width, height: frames[0].height, sdpPath: sdpPath, logger: logger)
            } catch {
                state.ready.signal()
                throw error
            }
            state.ready.signal()
            guard state.go.wait(timeout: .now() + 30) == .success else { return }
            for (index, frame) in frames.enumerated() where !state.stopped.load(ordering: .relaxed) {
                beforeFrame(index)
                try sink.write(frame)
                state.framesWritten.store(sink.framesWritten, ordering: .relaxed)
                state.sendErrors.store(sink.sendErrors, ordering: .relaxed)
                usleep(UInt32(interval * 1e6))
            }
            try sink.finish()
        }
    }

    var framesWritten: Int { state.framesWritten.load(ordering: .relaxed) }
    var sendErrors: Int { state.sendErrors.load(ordering: .relaxed) }
    func waitUntilReady() {
        if state.ready.wait(timeout: .now() + 30) == .success { state.ready.signal() }  // later calls return at once
    }
    func start() { state.go.signal() }
    func stop() { state.stopped.store(true, ordering: .relaxed) }
    /// nil when everything was sent without error.
    func join(seconds: Double = 60) -> String? {
        start()  // harmless if started; unblocks the thread if the receiver side failed first
        return work.join(seconds: seconds)
    }
}
