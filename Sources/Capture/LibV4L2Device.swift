import BackdropCore
import CV4L2
import Foundation

/// A device node opened through libv4l2, which converts formats some cameras speak natively
/// (Bayer, vendor JPEG variants) and hides quirks; owns the file descriptor.
public final class LibV4L2Device: V4L2Device {
    public let path: String
    private var fd: Int32

    public init(path: String) throws(V4L2CallError) {
        // Non-blocking: a dequeue never hangs on a camera that stopped; `waitForFrame` polls.
        let fd = backdrop_v4l2_open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw V4L2CallError(call: "open", code: errno) }
        self.path = path
        self.fd = fd
    }

    deinit {
        close()
    }

    public func ioctl<Argument>(_ request: V4L2Request<Argument>, _ argument: inout Argument) throws(V4L2CallError) {
        guard fd >= 0 else { throw V4L2CallError(call: request.name, code: EBADF) }
        let fd = self.fd
        let status = withUnsafeMutablePointer(to: &argument) { pointer in
            var status: Int32
            repeat {
                status = backdrop_v4l2_ioctl(fd, request.code, pointer)
            } while status < 0 && errno == EINTR
            return status
        }
        if status < 0 { throw V4L2CallError(call: request.name, code: errno) }
    }

    public func map(length: Int, offset: Int) throws(V4L2CallError) -> UnsafeMutableRawPointer {
        let address = v4l2_mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, Int64(offset))
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw V4L2CallError(call: "mmap", code: errno)
        }
        return address
    }

    public func unmap(_ address: UnsafeMutableRawPointer, length: Int) {
        _ = v4l2_munmap(address, length)
    }

    public func waitForFrame(timeout: Double) throws(V4L2CallError) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = MonotonicClock.now() + timeout
        while true {
            let milliseconds = Int32(max(0, (deadline - MonotonicClock.now()) * 1000).rounded(.up))
            let status = poll(&descriptor, 1, milliseconds)
            if status > 0 { return true }  // readable, or POLLERR/POLLHUP: the dequeue tells which
            if status == 0 { return false }
            if errno != EINTR { throw V4L2CallError(call: "poll", code: errno) }
        }
    }

    public func close() {
        guard fd >= 0 else { return }
        _ = v4l2_close(fd)
        fd = -1
    }
}

/// This machine's `/dev/video*` nodes, opened through libv4l2.
public struct LibV4L2Provider: V4L2DeviceProvider {
    public init() {}

    public func devicePaths() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("video"), let number = Int(name.dropFirst(5)) else { return nil }
            return (number, "/dev/" + name)
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    public func open(path: String) throws(V4L2CallError) -> any V4L2Device {
        try LibV4L2Device(path: path)
    }
}
