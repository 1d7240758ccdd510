import BackdropCore
import CV4L2
import Foundation
import Logging

/// `vcam:/dev/videoN`: writes frames to a v4l2loopback output device, which call apps then
/// open as a camera.
///
/// Opening checks the node is a loopback output; the format (YUYV or YU12, even size) is set
/// with VIDIOC_S_FMT on the output buffer type when the size is known — at `init` if given,
/// else from the first frame — and what the driver settled on is what every `write()` matches.
public final class LoopbackSink: FrameSink {
    public let name: String
    public let path: String
    public let format: LoopbackFormat
    /// What the driver agreed to, once set.
    public private(set) var layout: LoopbackLayout?
    public private(set) var framesWritten = 0

    private let device: any LoopbackDevice
    private let logger: Logger
    private var buffer: [UInt8] = []
    private var warnedAboutSize = false
    private var finished = false

    /// - Parameters:
    ///   - width, height: the picture size, if known now (rounded down to even); otherwise the
    ///     first frame's.
    ///   - open: how the node is opened; tests pass a fake.
    public init(device path: String, format: LoopbackFormat = .yuyv, width: Int? = nil, height: Int? = nil,
                logger: Logger,
                open: (String) throws(LoopbackCallError) -> any LoopbackDevice = { path throws(LoopbackCallError) in
                    try GlibcLoopbackDevice(path: path)
                }) throws(VirtualCameraError) {
        self.path = path
        self.name = "vcam:" + path
        self.format = format
        self.logger = logger
        do {
            device = try open(path)
        } catch {
            switch error.code {
            case ENOENT, ENODEV, ENXIO: throw .deviceNotFound(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            default: throw .notALoopbackOutput(path: path, what: "a node that cannot be opened (\(error))")
            }
        }
        do {
            try Self.check(device)
            if let width, let height { try configure(width: width, height: height) }
        } catch {
            device.close()
            throw error
        }
    }

    deinit {
        device.close()
    }

    /// Sends one frame; the first one sets the format if `init` did not.
    public func write(_ frame: VideoFrame) throws(VirtualCameraError) {
        guard !finished else { throw .finished(path: path) }
        let layout: LoopbackLayout
        if let configured = self.layout {
            layout = configured
        } else {
            layout = try configure(width: frame.width, height: frame.height)
        }
        var picture = frame
        if frame.width & ~1 != layout.width || frame.height & ~1 != layout.height {
            if !warnedAboutSize {
                warnedAboutSize = true
                logger.warning("\(name) is \(layout.width)x\(layout.height) but frames are \(frame.width)x\(frame.height); scaling them")
            }
            picture = FramePacker.resize(frame, width: layout.width, height: layout.height)
        }
        let device = self.device
        let outcome = buffer.withUnsafeMutableBytes { bytes in
            FramePacker.pack(picture, as: layout, into: bytes)
            return Result { () throws(LoopbackCallError) in try device.write(UnsafeRawBufferPointer(bytes)) }
        }
        if case let .failure(error) = outcome { throw .writeFailed(path: path, error: error) }
        framesWritten += 1
    }

    /// Closes the device; call apps then see the camera stop. Idempotent.
    public func finish() throws(VirtualCameraError) {
        guard !finished else { return }
        finished = true
        device.close()
        logger.debug("\(name): closed after \(framesWritten) frames")
    }

    /// QUERYCAP: a v4l2loopback node that accepts output right now.
    private static func check(_ device: any LoopbackDevice) throws(VirtualCameraError) {
        var capability = v4l2_capability()
        do {
            try device.queryCapability(&capability)
        } catch {
            throw .notALoopbackOutput(path: device.path, what: "not a V4L2 device (\(error))")
        }
        let caps = capability.capabilities & UInt32(V4L2_CAP_DEVICE_CAPS) != 0 ? capability.device_caps : capability.capabilities
        let driver = text(capability.driver), card = text(capability.card)
        let isLoopback = driver == "v4l2 loopback"
        if caps & UInt32(V4L2_CAP_VIDEO_OUTPUT) != 0 { return }
        // With exclusive_caps=1 a loopback node shows only capture while another program writes to it.
        if isLoopback { throw .inUse(path: device.path, card: card) }
        let kind = caps & UInt32(V4L2_CAP_VIDEO_CAPTURE) != 0 ? "a camera" : "a device without video output"
        throw .notALoopbackOutput(path: device.path, what: "\(kind): '\(card)', driver \(driver)")
    }

    /// VIDIOC_S_FMT on the output queue, then adopts what the driver set.
    @discardableResult
    private func configure(width: Int, height: Int) throws(VirtualCameraError) -> LoopbackLayout {
        let width = width & ~1, height = height & ~1
        let asked = "\(width)x\(height) \(format)"
        guard width >= 2, height >= 2 else { throw .formatRefused(path: path, asked: asked, reason: "the size must be at least 2x2") }
        let tight = format.tightLayout(width: width, height: height)
        var request = v4l2_format()
        request.type = V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue
        request.fmt.pix.width = UInt32(width)
        request.fmt.pix.height = UInt32(height)
        request.fmt.pix.pixelformat = format.fourcc
        request.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        request.fmt.pix.bytesperline = UInt32(tight.bytesPerLine)
        request.fmt.pix.sizeimage = UInt32(tight.imageSize)
        request.fmt.pix.colorspace = V4L2_COLORSPACE_SRGB.rawValue
        var result = request
        do {
            try device.setFormat(&result)
        } catch where error.code == EBUSY {
            // A reader holds the device with a format another writer set: use that one.
            result = request
            do {
                try device.getFormat(&result)
            } catch {
                throw .formatRefused(path: path, asked: asked, reason: "the device is busy and its format unreadable (\(error))")
            }
        } catch {
            throw .formatRefused(path: path, asked: asked, reason: "\(error)")
        }
        let pix = result.fmt.pix
        guard let got = LoopbackFormat(fourcc: pix.pixelformat) else {
            throw .formatRefused(path: path, asked: asked,
                                 reason: "the device uses \(fourccText(pix.pixelformat)), Backdrop writes YUYV or YU12")
        }
        let gotWidth = Int(pix.width) & ~1, gotHeight = Int(pix.height) & ~1
        guard gotWidth >= 2, gotHeight >= 2 else {
            throw .formatRefused(path: path, asked: asked, reason: "the device set \(pix.width)x\(pix.height)")
        }
        let needed = got.tightLayout(width: gotWidth, height: gotHeight)
        let bytesPerLine = max(Int(pix.bytesperline), needed.bytesPerLine)
        let minimum = got == .yuyv ? bytesPerLine * gotHeight
            : bytesPerLine * gotHeight + 2 * (bytesPerLine / 2) * (gotHeight / 2)
        let layout = LoopbackLayout(format: got, width: gotWidth, height: gotHeight, bytesPerLine: bytesPerLine,
                                    imageSize: max(Int(pix.sizeimage), minimum))
        if layout.description != asked {
            logger.notice("\(name): asked for \(asked), the device uses \(layout)")
        } else {
            logger.info("\(name): \(layout)")
        }
        self.layout = layout
        buffer = [UInt8](repeating: 0, count: layout.imageSize)
        return layout
    }
}

/// Reads a NUL-terminated C string the kernel stored in a fixed-size array.
private func text<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}
