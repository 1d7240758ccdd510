/// Counts the applications reading the virtual camera, so on-demand capture can open the
/// webcam only while someone watches.
public protocol ConsumerMonitor: AnyObject {
    /// The number of readers, after waiting at most `timeout` seconds for it to change
    /// (0: just look). Called from the source thread only.
    func consumers(waitingUpTo timeout: Double) -> Int
}
