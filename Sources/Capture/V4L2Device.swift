/// The calls a camera source makes on an open V4L2 device node: the seam between Backdrop and
/// the kernel (through libv4l2), so a fake driver can stand in for both in tests.
///
/// libv4l2 makes raw system calls, so interposing below it is not possible; everything above
/// this protocol is the production code path.
public protocol V4L2Device: AnyObject {
    /// The node this was opened from, e.g. `/dev/video0`.
    var path: String { get }
    /// Performs one ioctl; throws the errno the driver answered (ENOTTY for a request it does
    /// not implement, EINVAL for a bad argument, ENODEV once the device is gone).
    func ioctl<Argument>(_ request: V4L2Request<Argument>, _ argument: inout Argument) throws(V4L2CallError)
    /// Maps a buffer the driver described with VIDIOC_QUERYBUF.
    func map(length: Int, offset: Int) throws(V4L2CallError) -> UnsafeMutableRawPointer
    func unmap(_ address: UnsafeMutableRawPointer, length: Int)
    /// Waits up to `timeout` seconds until a buffer can be dequeued or the device reports an
    /// error (the next dequeue then says which); false when the time ran out.
    func waitForFrame(timeout: Double) throws(V4L2CallError) -> Bool
    /// Closes the node; idempotent. Every mapping must be undone first.
    func close()
}

/// Where devices come from: the `/dev/video*` nodes of this machine, or a fake set in tests.
public protocol V4L2DeviceProvider {
    /// Every video device node, in a stable order (`/dev/video0`, `/dev/video1`, …, `/dev/video10`).
    func devicePaths() -> [String]
    func open(path: String) throws(V4L2CallError) -> any V4L2Device
}
