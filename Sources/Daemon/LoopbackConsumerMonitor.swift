import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Readers of a v4l2loopback device, from the driver's own "client usage" event: v4l2loopback
/// queues it (count = 1 while a reader streams, 0 after) whenever a capture client starts or
/// stops streaming, to every file handle subscribed on the device. Merely opening the device (as
/// browsers and PipeWire do to list cameras) does not count, so the webcam wakes only for a real
/// call. The event exists from v4l2loopback 0.13 (id PRIVATE_START + 0x08E00000 + 1); some 0.12
/// builds send it as PRIVATE_START. Without it, `init` throws and the caller keeps the camera open.
///
/// Holds its own descriptor on the device (events are per handle, and reading them does not
/// make it a writer or a reader). Use from one thread.
public final class LoopbackConsumerMonitor: ConsumerMonitor {
    /// Why readers cannot be watched.
    public enum Failure: Error, CustomStringConvertible {
        case open(device: String, errno: Int32)
        case noUsageEvents(device: String, errno: Int32)

        public var description: String {
            switch self {
            case let .open(device, code):
                return "cannot open \(device) to watch its readers: \(String(cString: strerror(code)))"
            case let .noUsageEvents(device, code):
                return "\(device) sends no client-usage events (\(String(cString: strerror(code)))): on-demand capture "
                    + "needs v4l2loopback 0.13 or later; the camera stays open"
            }
        }
    }

    // linux/videodev2.h, for 64-bit Linux (x86_64, aarch64): struct v4l2_event_subscription is
    // 32 bytes, struct v4l2_event 136 (its union starts at offset 8).
    private static let privateStart: UInt32 = 0x0800_0000
    private static let usageEvents: [UInt32] = [privateStart + 0x08E0_0000 + 1, privateStart]
    private static let sendInitial: UInt32 = 1
    private static let subscribeEvent: UInt = 0x4020_565A  // _IOW('V', 90, v4l2_event_subscription)
    private static let dequeueEvent: UInt = 0x8088_5659    // _IOR('V', 89, v4l2_event)

    public let device: String
    private let fd: Int32
    private let eventType: UInt32
    private var count = 0

    public init(device: String) throws(Failure) {
        self.device = device
        let fd = open(device, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .open(device: device, errno: errno) }
        var lastError: Int32 = 0
        var subscribed: UInt32?
        for type in Self.usageEvents {
            var subscription = [UInt32](repeating: 0, count: 8)
            subscription[0] = type
            subscription[2] = Self.sendInitial
            let result = subscription.withUnsafeMutableBytes { ioctl(fd, Self.subscribeEvent, $0.baseAddress!) }
            if result == 0 {
                subscribed = type
                break
            }
            lastError = errno
        }
        guard let subscribed else {
            close(fd)
            throw .noUsageEvents(device: device, errno: lastError)
        }
        self.fd = fd
        eventType = subscribed
    }

    deinit {
        close(fd)
    }

    public func consumers(waitingUpTo timeout: Double) -> Int {
        var descriptor = pollfd(fd: fd, events: Int16(POLLPRI), revents: 0)
        let milliseconds = Int32(max(0, min(timeout, 60)) * 1000)
        guard poll(&descriptor, 1, milliseconds) > 0, descriptor.revents & Int16(POLLPRI) != 0 else { return count }
        var event = [UInt8](repeating: 0, count: 136)
        while event.withUnsafeMutableBytes({ ioctl(fd, Self.dequeueEvent, $0.baseAddress!) }) == 0 {
            let type = event.withUnsafeBytes { $0.load(fromByteOffset: 0, as: UInt32.self) }
            if type == eventType {
                count = Int(event.withUnsafeBytes { $0.load(fromByteOffset: 8, as: UInt32.self) })
            }
        }
        return count
    }
}
