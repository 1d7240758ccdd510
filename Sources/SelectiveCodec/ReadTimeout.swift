import BackdropCore
import CFFmpeg

/// What FFmpeg's interrupt callback consults while a read blocks. Only the reader's thread uses it.
final class ReadTimeout {
    var seconds = 2.0
    private var deadline = Double.infinity

    func arm(seconds: Double) { deadline = MonotonicClock.now() + seconds }
    func disarm() { deadline = .infinity }

    /// For `AVFormatContext.interrupt_callback`; `self` must outlive the context.
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(callback: { opaque in
            guard let opaque else { return 0 }
            let state = Unmanaged<ReadTimeout>.fromOpaque(opaque).takeUnretainedValue()
            return MonotonicClock.now() >= state.deadline ? 1 : 0
        }, opaque: Unmanaged.passUnretained(self).toOpaque())
    }
}
