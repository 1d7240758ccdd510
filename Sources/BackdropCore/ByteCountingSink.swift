/// A sink that knows how many bytes it has sent, by what they carry (for the selective stream:
/// `picture`, `mask`, `scene`), so operators can see where a thin link's bits go.
public protocol ByteCountingSink: FrameSink {
    /// Bytes written so far, by category. Read on the thread that writes to the sink.
    var bytesSent: [String: Int] { get }
}
