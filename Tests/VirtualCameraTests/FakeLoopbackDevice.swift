import CV4L2
import Foundation
import VirtualCamera

/// A pretend v4l2loopback node (or another kind of node) answering like the driver does.
final class FakeLoopbackDevice: LoopbackDevice {
    enum Kind {
        case loopback
        /// A loopback another program is writing to: with exclusive_caps=1 it shows only capture.
        case loopbackInUse
        case camera
        /// Not V4L2 at all (a tty, /dev/null): QUERYCAP is ENOTTY.
        case notV4L2
    }

    let path: String
    var kind: Kind = .loopback
    /// The largest size the driver grants (v4l2loopback's max_width/max_height).
    var maxSize = (width: 1920, height: 1080)
    /// Row alignment of bytesperline (1 = tight).
    var rowAlignment = 1
    /// Another writer fixed this format: S_FMT answers EBUSY, G_FMT returns it.
    var fixedFormat: v4l2_pix_format?
    /// A pixel format the driver puts in place of whatever is asked.
    var forcedPixelFormat: UInt32?
    /// Makes `write` fail with this errno (the module was unloaded: ENODEV).
    var writeError: Int32?
    private(set) var setFormatCalls = 0
    private(set) var frames: [[UInt8]] = []
    private(set) var isClosed = false
    private var current = v4l2_pix_format()

    init(path: String = "/dev/video10") {
        self.path = path
    }

    func queryCapability(_ capability: inout v4l2_capability) throws(LoopbackCallError) {
        guard !isClosed else { throw LoopbackCallError(call: "VIDIOC_QUERYCAP", code: EBADF) }
        var caps = UInt32(V4L2_CAP_STREAMING | V4L2_CAP_READWRITE)
        var driver = "v4l2 loopback", card = "Backdrop camera"
        switch kind {
        case .loopback: caps |= UInt32(V4L2_CAP_VIDEO_OUTPUT)
        case .loopbackInUse: caps |= UInt32(V4L2_CAP_VIDEO_CAPTURE)
        case .camera:
            caps = UInt32(V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING)
            (driver, card) = ("uvcvideo", "Integrated Camera")
        case .notV4L2:
            throw LoopbackCallError(call: "VIDIOC_QUERYCAP", code: ENOTTY)
        }
        capability = v4l2_capability()
        store(driver, in: &capability.driver)
        store(card, in: &capability.card)
        capability.device_caps = caps
        capability.capabilities = caps | UInt32(V4L2_CAP_DEVICE_CAPS)
    }

    func getFormat(_ format: inout v4l2_format) throws(LoopbackCallError) {
        guard format.type == V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue else { throw LoopbackCallError(call: "VIDIOC_G_FMT", code: EINVAL) }
        format.fmt.pix = fixedFormat ?? current
    }

    func setFormat(_ format: inout v4l2_format) throws(LoopbackCallError) {
        setFormatCalls += 1
        guard format.type == V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue, kind == .loopback else {
            throw LoopbackCallError(call: "VIDIOC_S_FMT", code: EINVAL)
        }
        guard fixedFormat == nil else { throw LoopbackCallError(call: "VIDIOC_S_FMT", code: EBUSY) }
        var pix = format.fmt.pix
        pix.pixelformat = forcedPixelFormat ?? pix.pixelformat
        pix.width = min(pix.width, UInt32(maxSize.width))
        pix.height = min(pix.height, UInt32(maxSize.height))
        let yuyv = pix.pixelformat == backdrop_v4l2_pix_fmt_yuyv()
        let tight = Int(pix.width) * (yuyv ? 2 : 1)
        pix.bytesperline = UInt32((tight + rowAlignment - 1) / rowAlignment * rowAlignment)
        pix.sizeimage = yuyv ? pix.bytesperline * pix.height : pix.bytesperline * pix.height * 3 / 2
        current = pix
        format.fmt.pix = pix
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(LoopbackCallError) {
        guard !isClosed else { throw LoopbackCallError(call: "write", code: EBADF) }
        if let writeError { throw LoopbackCallError(call: "write", code: writeError) }
        frames.append([UInt8](bytes))
    }

    func close() {
        isClosed = true
    }
}

func store<T>(_ text: String, in tuple: inout T) {
    withUnsafeMutableBytes(of: &tuple) { bytes in
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        for (index, byte) in text.utf8.prefix(bytes.count - 1).enumerated() { bytes[index] = byte }
    }
}
