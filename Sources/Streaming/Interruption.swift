import BackdropCore
import CFFmpeg
import Synchronization

/// A stop request for a receiver blocked in `next()`, safe to trigger from any thread or a
/// signal-handling queue: the blocked call returns nil within FFmpeg's polling interval (~0.1 s).
public final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func trigger() { flag.store(true, ordering: .relaxed) }

    public var isTriggered: Bool { flag.load(ordering: .relaxed) }
}

/// What FFmpeg's interrupt callback consults while a read blocks: a stop request, or a deadline.
/// Only the receiver's thread touches `deadline`.
final class ReadDeadline {
    let interruption: Interruption
    /// Monotonic seconds after which a blocking read gives up; infinity for none.
    var deadline = Double.infinity

    init(interruption: Interruption) {
        self.interruption = interruption
    }

    var expired: Bool { MonotonicClock.now() >= deadline }

    /// The callback for `AVFormatContext.interrupt_callback`; `self` must outlive the context.
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(callback: { opaque in
            guard let opaque else { return 0 }
            let state = Unmanaged<ReadDeadline>.fromOpaque(opaque).takeUnretainedValue()
            return state.interruption.isTriggered || state.expired ? 1 : 0
        }, opaque: Unmanaged.passUnretained(self).toOpaque())
    }
}
