import BackdropCore
import CV4L2
import Capture
import Foundation

/// A pretend camera as its driver sees it: modes, frames, a clock, and whether it is plugged in.
/// It outlives any one open of its node, like hardware does.
final class FakeCamera {
    /// A pixel format with the sizes and frame rates the driver offers for it.
    struct Mode {
        var format: PixelFormat
        var description: String
        var sizes: [FrameSize]
        var frameRates: [Int]
        var isEmulated = false
        /// Listed by VIDIOC_ENUM_FMT, but VIDIOC_S_FMT hands back the first mode instead (drivers
        /// do this for formats they cannot deliver in the current state).
        var isSubstituted = false
    }

    var card = "Fake Camera"
    var driver = "uvcvideo"
    var busInfo = "usb-0000:00:14.0-1"
    var capabilities: DeviceCapabilities = [.videoCapture, .streaming]
    var modes: [Mode]
    /// Request codes this driver does not implement: answered with ENOTTY, as drivers do.
    var refusedRequests: Set<UInt> = []
    var maxBuffers = 4
    /// Bytes of padding the driver adds to every row of uncompressed formats.
    var rowPadding = 0
    /// The tight payload of frame `sequence` in a format and size (frames made by ffmpeg).
    var frames: (_ format: PixelFormat, _ size: FrameSize, _ sequence: Int) -> [UInt8]
    /// Sequences whose buffer the driver flags as damaged (V4L2_BUF_FLAG_ERROR).
    var damagedSequences: Set<Int> = []

    /// The camera's clock in microseconds; frame timestamps come from it, `advance` moves it.
    private(set) var clock: Int64 = 7_000_000_000
    private(set) var isPresent = true
    /// The sensor stopped: no buffer is ever ready (poll times out), the node stays.
    var isStalled = false
    private(set) var framesDelivered = 0
    /// Leak checks: nodes open and buffers mapped right now.
    var openNodes = 0
    var liveMappings = 0
    private var unplugAfter: Int?
    private var absence: Int64 = 0
    private var absentUntil: Int64 = 0

    init(modes: [Mode], frames: @escaping (PixelFormat, FrameSize, Int) -> [UInt8]) {
        self.modes = modes
        self.frames = frames
    }

    /// After `frames` more frames the camera vanishes: dequeues fail with ENODEV and the node is
    /// gone until `seconds` have passed on its clock.
    func unplug(afterFrames frames: Int, forSeconds seconds: Double) {
        unplugAfter = framesDelivered + frames
        absence = Int64(seconds * 1_000_000)
    }

    func advance(bySeconds seconds: Double) {
        clock += Int64(seconds * 1_000_000)
        if !isPresent && clock >= absentUntil { isPresent = true }
    }

    fileprivate func delivered(interval: Int64) {
        framesDelivered += 1
        clock += interval
        if let after = unplugAfter, framesDelivered >= after {
            isPresent = false
            unplugAfter = nil
            absentUntil = clock + absence
        }
    }
}

/// A set of fake device nodes; `advance` moves every camera's clock (tests pass it as the
/// source's sleep, so backoff waits take no real time).
final class FakeV4L2System: V4L2DeviceProvider {
    var nodes: [String: FakeCamera]
    private(set) var openCalls: [String] = []

    init(_ nodes: [String: FakeCamera]) {
        self.nodes = nodes
    }

    func advance(bySeconds seconds: Double) {
        for camera in nodes.values { camera.advance(bySeconds: seconds) }
    }

    /// The camera reappears under another node, as when it is plugged into another port.
    func move(_ path: String, to newPath: String) {
        nodes[newPath] = nodes.removeValue(forKey: path)
    }

    func devicePaths() -> [String] {
        nodes.filter { $0.value.isPresent }.keys.sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
    }

    func open(path: String) throws(V4L2CallError) -> any V4L2Device {
        openCalls.append(path)
        guard let camera = nodes[path], camera.isPresent else { throw V4L2CallError(call: "open", code: ENOENT) }
        return FakeV4L2Device(camera: camera, path: path)
    }
}

/// One open of a fake node: answers ioctls the way a V4L2 driver (uvcvideo, vb2) does.
final class FakeV4L2Device: V4L2Device {
    private struct Buffer {
        var memory: UnsafeMutableRawPointer
        var length: Int
        var offset: Int
        var queued = false
    }

    let path: String
    let camera: FakeCamera
    private var format: v4l2_pix_format
    private var frameRate: Int
    private var buffers: [Buffer] = []
    private var queue: [Int] = []
    private var streaming = false
    private var closed = false
    private var mappedHere = 0

    init(camera: FakeCamera, path: String) {
        self.camera = camera
        self.path = path
        format = v4l2_pix_format()
        frameRate = camera.modes.first?.frameRates.first ?? 30
        camera.openNodes += 1
        if let mode = camera.modes.first, let size = mode.sizes.first { format = fill(mode, size) }
    }

    deinit {
        close()
        for buffer in buffers { buffer.memory.deallocate() }
    }

    func ioctl<Argument>(_ request: V4L2Request<Argument>, _ argument: inout Argument) throws(V4L2CallError) {
        let fail = { (code: Int32) in V4L2CallError(call: request.name, code: code) }
        guard !closed else { throw fail(EBADF) }
        guard camera.isPresent else { throw fail(ENODEV) }
        guard !camera.refusedRequests.contains(request.code) else { throw fail(ENOTTY) }
        let status: Int32 = withUnsafeMutablePointer(to: &argument) { pointer in
            let raw = UnsafeMutableRawPointer(pointer)
            switch request.code {
            case V4L2Request<v4l2_capability>.queryCapability.code: return queryCapability(raw.assumingMemoryBound(to: v4l2_capability.self))
            case V4L2Request<v4l2_fmtdesc>.enumerateFormats.code: return enumerateFormats(raw.assumingMemoryBound(to: v4l2_fmtdesc.self))
            case V4L2Request<v4l2_frmsizeenum>.enumerateFrameSizes.code: return enumerateSizes(raw.assumingMemoryBound(to: v4l2_frmsizeenum.self))
            case V4L2Request<v4l2_frmivalenum>.enumerateFrameIntervals.code: return enumerateIntervals(raw.assumingMemoryBound(to: v4l2_frmivalenum.self))
            case V4L2Request<v4l2_format>.getFormat.code: return getFormat(raw.assumingMemoryBound(to: v4l2_format.self))
            case V4L2Request<v4l2_format>.setFormat.code: return setFormat(raw.assumingMemoryBound(to: v4l2_format.self))
            case V4L2Request<v4l2_streamparm>.getParameters.code, V4L2Request<v4l2_streamparm>.setParameters.code:
                return parameters(raw.assumingMemoryBound(to: v4l2_streamparm.self), set: request.code == V4L2Request<v4l2_streamparm>.setParameters.code)
            case V4L2Request<v4l2_requestbuffers>.requestBuffers.code: return requestBuffers(raw.assumingMemoryBound(to: v4l2_requestbuffers.self))
            case V4L2Request<v4l2_buffer>.queryBuffer.code: return queryBuffer(raw.assumingMemoryBound(to: v4l2_buffer.self))
            case V4L2Request<v4l2_buffer>.queueBuffer.code: return queueBuffer(raw.assumingMemoryBound(to: v4l2_buffer.self))
            case V4L2Request<v4l2_buffer>.dequeueBuffer.code: return dequeueBuffer(raw.assumingMemoryBound(to: v4l2_buffer.self))
            case V4L2Request<Int32>.streamOn.code: return stream(on: true, raw.assumingMemoryBound(to: Int32.self))
            case V4L2Request<Int32>.streamOff.code: return stream(on: false, raw.assumingMemoryBound(to: Int32.self))
            default: return ENOTTY  // a request this driver knows nothing about
            }
        }
        if status != 0 { throw fail(status) }
    }

    func map(length: Int, offset: Int) throws(V4L2CallError) -> UnsafeMutableRawPointer {
        guard camera.isPresent else { throw V4L2CallError(call: "mmap", code: ENODEV) }
        guard let buffer = buffers.first(where: { $0.offset == offset }), length <= buffer.length, length > 0 else {
            throw V4L2CallError(call: "mmap", code: EINVAL)
        }
        camera.liveMappings += 1
        mappedHere += 1
        return buffer.memory
    }

    func unmap(_ address: UnsafeMutableRawPointer, length: Int) {
        precondition(buffers.contains { $0.memory == address }, "unmapping an address this device never mapped")
        camera.liveMappings -= 1
        mappedHere -= 1
    }

    func waitForFrame(timeout: Double) throws(V4L2CallError) -> Bool {
        guard !closed else { throw V4L2CallError(call: "poll", code: EBADF) }
        // poll reports POLLERR at once for a vanished device; otherwise a frame is ready exactly
        // when a buffer is queued (the fake's sensor is never late).
        return !camera.isPresent || (streaming && !queue.isEmpty && !camera.isStalled)
    }

    func close() {
        guard !closed else { return }
        closed = true
        camera.openNodes -= 1
    }

    // MARK: - The driver

    private func queryCapability(_ capability: UnsafeMutablePointer<v4l2_capability>) -> Int32 {
        var value = v4l2_capability()
        storeText(camera.driver, in: &value.driver)
        storeText(camera.card, in: &value.card)
        storeText(camera.busInfo, in: &value.bus_info)
        value.version = 0x060100
        value.device_caps = camera.capabilities.rawValue
        // A real camera's `capabilities` covers all its nodes (the metadata one too).
        value.capabilities = camera.capabilities.rawValue | UInt32(V4L2_CAP_META_CAPTURE) | UInt32(V4L2_CAP_DEVICE_CAPS)
        capability.pointee = value
        return 0
    }

    private var bufferType: UInt32 {
        camera.capabilities.canCapture ? V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue : V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue
    }

    private func enumerateFormats(_ description: UnsafeMutablePointer<v4l2_fmtdesc>) -> Int32 {
        let index = Int(description.pointee.index)
        guard description.pointee.type == bufferType, index < camera.modes.count else { return EINVAL }
        let mode = camera.modes[index]
        var value = v4l2_fmtdesc()
        value.index = UInt32(index)
        value.type = bufferType
        value.pixelformat = mode.format.code
        value.flags = (mode.format == .mjpeg ? UInt32(V4L2_FMT_FLAG_COMPRESSED) : 0)
            | (mode.isEmulated ? UInt32(V4L2_FMT_FLAG_EMULATED) : 0)
        storeText(mode.description, in: &value.description)
        description.pointee = value
        return 0
    }

    private func enumerateSizes(_ size: UnsafeMutablePointer<v4l2_frmsizeenum>) -> Int32 {
        let index = Int(size.pointee.index)
        guard let mode = mode(for: size.pointee.pixel_format), index < mode.sizes.count else { return EINVAL }
        size.pointee.type = V4L2_FRMSIZE_TYPE_DISCRETE.rawValue
        size.pointee.discrete = v4l2_frmsize_discrete(width: UInt32(mode.sizes[index].width),
                                                      height: UInt32(mode.sizes[index].height))
        return 0
    }

    private func enumerateIntervals(_ interval: UnsafeMutablePointer<v4l2_frmivalenum>) -> Int32 {
        let index = Int(interval.pointee.index)
        let size = FrameSize(width: Int(interval.pointee.width), height: Int(interval.pointee.height))
        guard let mode = mode(for: interval.pointee.pixel_format), mode.sizes.contains(size),
              index < mode.frameRates.count else { return EINVAL }
        interval.pointee.type = V4L2_FRMIVAL_TYPE_DISCRETE.rawValue
        interval.pointee.discrete = v4l2_fract(numerator: 1, denominator: UInt32(mode.frameRates[index]))
        return 0
    }

    private func getFormat(_ value: UnsafeMutablePointer<v4l2_format>) -> Int32 {
        guard value.pointee.type == bufferType else { return EINVAL }
        value.pointee.fmt.pix = format
        return 0
    }

    /// Like uvcvideo: an unknown pixel format becomes the first one, the size the nearest offered.
    private func setFormat(_ value: UnsafeMutablePointer<v4l2_format>) -> Int32 {
        guard value.pointee.type == bufferType else { return EINVAL }
        guard !streaming, buffers.isEmpty else { return EBUSY }
        let asked = value.pointee.fmt.pix
        let listed = self.mode(for: asked.pixelformat)
        let mode = listed.map { $0.isSubstituted ? camera.modes[0] : $0 } ?? camera.modes[0]
        let size = FrameSizes.discrete(mode.sizes).closest(to: FrameSize(width: Int(asked.width), height: Int(asked.height)))
        format = fill(mode, size)
        if !mode.frameRates.contains(frameRate) { frameRate = mode.frameRates.first ?? 30 }
        value.pointee.fmt.pix = format
        return 0
    }

    private func parameters(_ value: UnsafeMutablePointer<v4l2_streamparm>, set: Bool) -> Int32 {
        guard value.pointee.type == bufferType else { return EINVAL }
        let rates = mode(for: format.pixelformat)?.frameRates ?? []
        if set {
            let interval = value.pointee.parm.capture.timeperframe
            guard interval.numerator > 0 else { return EINVAL }
            let wanted = Double(interval.denominator) / Double(interval.numerator)
            frameRate = rates.min { abs(Double($0) - wanted) < abs(Double($1) - wanted) } ?? frameRate
        }
        var parameters = v4l2_streamparm()
        parameters.type = bufferType
        parameters.parm.capture.capability = UInt32(V4L2_CAP_TIMEPERFRAME)
        parameters.parm.capture.timeperframe = v4l2_fract(numerator: 1, denominator: UInt32(frameRate))
        parameters.parm.capture.readbuffers = UInt32(camera.maxBuffers)
        value.pointee = parameters
        return 0
    }

    private func requestBuffers(_ request: UnsafeMutablePointer<v4l2_requestbuffers>) -> Int32 {
        guard request.pointee.type == bufferType, request.pointee.memory == V4L2_MEMORY_MMAP.rawValue else { return EINVAL }
        guard !streaming else { return EBUSY }
        guard mappedHere == 0 else { return EBUSY }  // vb2 refuses to free buffers still mapped
        for buffer in buffers { buffer.memory.deallocate() }
        buffers = []
        queue = []
        let count = request.pointee.count == 0 ? 0 : min(max(Int(request.pointee.count), 2), camera.maxBuffers)
        let length = (Int(format.sizeimage) + 4095) / 4096 * 4096
        buffers = (0..<count).map { index in
            Buffer(memory: UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 4096), length: length,
                   offset: index * 0x10_0000)
        }
        request.pointee.count = UInt32(count)
        return 0
    }

    private func queryBuffer(_ value: UnsafeMutablePointer<v4l2_buffer>) -> Int32 {
        let index = Int(value.pointee.index)
        guard value.pointee.type == bufferType, index < buffers.count else { return EINVAL }
        value.pointee.length = UInt32(buffers[index].length)
        value.pointee.m.offset = UInt32(buffers[index].offset)
        value.pointee.flags = UInt32(V4L2_BUF_FLAG_MAPPED) | (buffers[index].queued ? UInt32(V4L2_BUF_FLAG_QUEUED) : 0)
        return 0
    }

    private func queueBuffer(_ value: UnsafeMutablePointer<v4l2_buffer>) -> Int32 {
        let index = Int(value.pointee.index)
        guard value.pointee.type == bufferType, value.pointee.memory == V4L2_MEMORY_MMAP.rawValue,
              index < buffers.count, !buffers[index].queued else { return EINVAL }
        buffers[index].queued = true
        queue.append(index)
        return 0
    }

    private func dequeueBuffer(_ value: UnsafeMutablePointer<v4l2_buffer>) -> Int32 {
        guard value.pointee.type == bufferType, streaming else { return EINVAL }
        guard !queue.isEmpty else { return EAGAIN }
        let index = queue.removeFirst()
        buffers[index].queued = false
        let sequence = camera.framesDelivered
        let pixelFormat = PixelFormat(code: format.pixelformat)
        let tight = camera.frames(pixelFormat, FrameSize(width: Int(format.width), height: Int(format.height)), sequence)
        let used = layOut(tight, format: pixelFormat, into: buffers[index])
        var result = v4l2_buffer()
        result.index = UInt32(index)
        result.type = bufferType
        result.memory = V4L2_MEMORY_MMAP.rawValue
        result.bytesused = UInt32(used)
        result.length = UInt32(buffers[index].length)
        result.m.offset = UInt32(buffers[index].offset)
        result.sequence = UInt32(sequence)
        result.field = V4L2_FIELD_NONE.rawValue
        result.flags = UInt32(V4L2_BUF_FLAG_MAPPED) | UInt32(V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC)
            | (camera.damagedSequences.contains(sequence) ? UInt32(V4L2_BUF_FLAG_ERROR) : 0)
        result.timestamp = timeval(tv_sec: Int(camera.clock / 1_000_000), tv_usec: Int(camera.clock % 1_000_000))
        value.pointee = result
        camera.delivered(interval: 1_000_000 / Int64(frameRate))
        return 0
    }

    private func stream(on: Bool, _ type: UnsafeMutablePointer<Int32>) -> Int32 {
        guard UInt32(type.pointee) == bufferType else { return EINVAL }
        if on {
            guard !buffers.isEmpty else { return EINVAL }
            streaming = true
        } else {
            streaming = false
            queue = []
            for index in buffers.indices { buffers[index].queued = false }
        }
        return 0
    }

    // MARK: - Helpers

    private func mode(for code: UInt32) -> FakeCamera.Mode? {
        camera.modes.first { $0.format.code == code }
    }

    private func fill(_ mode: FakeCamera.Mode, _ size: FrameSize) -> v4l2_pix_format {
        var pix = v4l2_pix_format()
        pix.width = UInt32(size.width)
        pix.height = UInt32(size.height)
        pix.pixelformat = mode.format.code
        pix.field = V4L2_FIELD_NONE.rawValue
        let w = size.width, h = size.height
        switch mode.format {
        case .yuyv:
            pix.bytesperline = UInt32(w * 2 + camera.rowPadding)
            pix.sizeimage = pix.bytesperline * UInt32(h)
        case .nv12:
            pix.bytesperline = UInt32(w + camera.rowPadding)
            pix.sizeimage = pix.bytesperline * UInt32(h + h / 2)
        case .yuv420:
            pix.bytesperline = UInt32(w + camera.rowPadding)
            pix.sizeimage = pix.bytesperline * UInt32(h) + 2 * (pix.bytesperline / 2) * UInt32(h / 2)
        default:  // compressed: no lines, a generous upper bound like uvcvideo's
            pix.bytesperline = 0
            pix.sizeimage = UInt32(w * h * 2)
        }
        pix.colorspace = mode.format == .mjpeg ? V4L2_COLORSPACE_JPEG.rawValue : V4L2_COLORSPACE_SRGB.rawValue
        return pix
    }

    /// Copies a tight payload into a buffer at the driver's stride; returns bytes used.
    private func layOut(_ tight: [UInt8], format pixelFormat: PixelFormat, into buffer: Buffer) -> Int {
        let target = buffer.memory.assumingMemoryBound(to: UInt8.self)
        let stride = Int(format.bytesperline), w = Int(format.width), h = Int(format.height)
        // (source offset, row bytes, rows, target offset, target stride) per plane
        let planes: [(Int, Int, Int, Int, Int)]
        switch pixelFormat {
        case .yuyv: planes = [(0, w * 2, h, 0, stride)]
        case .nv12: planes = [(0, w, h, 0, stride), (w * h, w, h / 2, stride * h, stride)]
        case .yuv420:
            let cs = stride / 2
            planes = [(0, w, h, 0, stride), (w * h, w / 2, h / 2, stride * h, cs),
                      (w * h + w * h / 4, w / 2, h / 2, stride * h + cs * (h / 2), cs)]
        default:
            planes = []
        }
        let full = planes.reduce(0) { $0 + $1.1 * $1.2 }
        if planes.isEmpty || tight.count < full {
            // Compressed, or a short transfer: the bytes as they came, bytesused says how many.
            let count = min(tight.count, buffer.length)
            tight.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: count) }
            return count
        }
        tight.withUnsafeBufferPointer { source in
            for (from, rowBytes, rows, to, targetStride) in planes {
                for row in 0..<rows {
                    (target + to + row * targetStride).update(from: source.baseAddress! + from + row * rowBytes, count: rowBytes)
                }
            }
        }
        return Int(format.sizeimage)
    }
}

/// Writes `text` NUL-terminated into a fixed-size C char array.
func storeText<T>(_ text: String, in tuple: inout T) {
    withUnsafeMutableBytes(of: &tuple) { bytes in
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        for (index, byte) in text.utf8.prefix(bytes.count - 1).enumerated() { bytes[index] = byte }
    }
}
