import BackdropCore
import Foundation

/// Runs a `RoomAnalysis` on its own thread, fed through a latest-frame slot.
///
/// `@unchecked Sendable` at a documented hand-off: `pending`, `latestBytes`, `failure` and
/// `stopped` are only touched under `condition`; `analysis` only on the worker thread once started.
final class RoomAnalysisWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private let analysis: RoomAnalysis
    private var pending: (VideoFrame, BinaryMask)?
    private var latestBytes: [UInt8]?
    private var failure: SelectiveCodecError?
    private var stopped = false

    init(analysis: RoomAnalysis) {
        self.analysis = analysis
        let thread = Thread { [self] in run() }
        thread.name = "backdrop-scene"
        thread.start()
    }

    /// Replaces any frame still waiting: the analysis always gets the newest.
    func offer(_ frame: VideoFrame, _ mask: BinaryMask) {
        condition.lock()
        pending = (frame, mask)
        condition.signal()
        condition.unlock()
    }

    /// The newest description, or nil before the first; rethrows a failure once.
    func latest() throws -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        if let failure {
            self.failure = nil
            throw failure
        }
        return latestBytes
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while pending == nil && !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let (frame, mask) = pending!
            pending = nil
            condition.unlock()
            var error: SelectiveCodecError?
            do {
                try analysis.update(frame, mask)
            } catch let failed as SelectiveCodecError {
                error = failed
            } catch {
                self.condition.lock()
                self.failure = .sceneFailed(reason: "\(error)")
                self.condition.unlock()
                continue
            }
            condition.lock()
            if let error { failure = error } else if let bytes = analysis.bytes { latestBytes = bytes }
            condition.unlock()
        }
    }
}
