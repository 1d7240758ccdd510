import Dispatch
import Foundation

/// SIGHUP as an async sequence, the reload request of `systemctl reload` and `kill -HUP`.
/// Installed first thing at start: SIGHUP's default action would end the process.
final class HangupSignals: @unchecked Sendable {
    // Sendable by construction: the dispatch source is only touched in init and `cancel()`.
    let signals: AsyncStream<Void>
    private let source: DispatchSourceSignal
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        signal(SIGHUP, SIG_IGN)
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        signals = stream
        self.continuation = continuation
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
    }

    func cancel() {
        source.cancel()
        continuation.finish()
    }
}
