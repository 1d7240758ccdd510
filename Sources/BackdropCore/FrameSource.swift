/// What a source hands on: a picture, or word that the device is gone for now.
public enum SourceEvent: Sendable {
    case frame(VideoFrame)
    /// The device vanished (unplugged, busy); the source keeps trying to reopen it with backoff,
    /// and the pipeline shows the background with a "camera unavailable" card meanwhile.
    case unavailable(reason: String)
}

/// Anything frames come from: a V4L2 camera, a file, a URL, a lavfi graph.
///
/// A live source (camera, network, `--realtime` file) is read by its own thread and handed on
/// through a latest-frame slot, so a slow stage drops frames at the source instead of queueing
/// them; a non-live one blocks, so no frame is lost.
public protocol FrameSource: AnyObject {
    /// For logs and status: a path, URL or device name.
    var name: String { get }
    var isLive: Bool { get }
    /// Blocks until the next event; nil at the end of the stream.
    func next() throws -> SourceEvent?
    /// Releases the device or file; `next()` afterwards returns nil.
    func close()
}

/// Anything composited frames go to: a file, a virtual camera, an RTP stream.
public protocol FrameSink: AnyObject {
    /// For logs and status, in the sink syntax (`vcam:/dev/video10`, `rtp://host:port`, a path).
    var name: String { get }
    func write(_ frame: VideoFrame) throws
    /// Flushes and closes: a file is complete and playable afterwards. Idempotent.
    func finish() throws
}
