import CV4L2
import Foundation

/// The calls the virtual-camera sink makes on its device node: the seam between Backdrop and
/// the kernel, so a fake can test negotiation. The real one uses Glibc's `open`/`ioctl`/`write`
/// (not libv4l2, which makes raw system calls) so an `LD_PRELOAD` library can stand in for
/// the driver end to end.
public protocol LoopbackDevice: AnyObject {
    var path: String { get }
    func queryCapability(_ capability: inout v4l2_capability) throws(LoopbackCallError)
    func getFormat(_ format: inout v4l2_format) throws(LoopbackCallError)
    func setFormat(_ format: inout v4l2_format) throws(LoopbackCallError)
    /// Writes one whole frame (retrying short writes).
    func write(_ bytes: UnsafeRawBufferPointer) throws(LoopbackCallError)
    /// Idempotent.
    func close()
}

/// A call the device refused, with its errno.
public struct LoopbackCallError: Error, Equatable, CustomStringConvertible {
    public let call: String
    public let code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    public var description: String { "\(call): \(String(cString: strerror(code))) (errno \(code))" }
}

/// A device node opened with Glibc; owns the file descriptor.
public final class GlibcLoopbackDevice: LoopbackDevice {
    public let path: String
    private var fd: Int32

    public init(path: String) throws(LoopbackCallError) {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw LoopbackCallError(call: "open", code: errno) }
        self.path = path
        self.fd = fd
    }

    deinit {
        close()
    }

    public func queryCapability(_ capability: inout v4l2_capability) throws(LoopbackCallError) {
        try control(backdrop_vidioc_querycap(), "VIDIOC_QUERYCAP", &capability)
    }

    public func getFormat(_ format: inout v4l2_format) throws(LoopbackCallError) {
        try control(backdrop_vidioc_g_fmt(), "VIDIOC_G_FMT", &format)
    }

    public func setFormat(_ format: inout v4l2_format) throws(LoopbackCallError) {
        try control(backdrop_vidioc_s_fmt(), "VIDIOC_S_FMT", &format)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(LoopbackCallError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw LoopbackCallError(call: "write", code: errno)
            }
            offset += written
        }
    }

    public func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    private func control<T>(_ request: UInt, _ name: String, _ argument: inout T) throws(LoopbackCallError) {
        guard fd >= 0 else { throw LoopbackCallError(call: name, code: EBADF) }
        let fd = self.fd
        let status = withUnsafeMutablePointer(to: &argument) { pointer in
            var status: Int32
            repeat {
                status = Glibc.ioctl(fd, request, UnsafeMutableRawPointer(pointer))
            } while status < 0 && errno == EINTR
            return status
        }
        if status < 0 { throw LoopbackCallError(call: name, code: errno) }
    }
}
