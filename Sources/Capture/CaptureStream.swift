import BackdropCore
import CV4L2
import Foundation
import Logging

/// One open camera node, set up and streaming into mmap buffers; stops, unmaps and closes
/// when it goes away. A new one is made after every reconnect.
final class CaptureStream {
    /// One filled buffer, lent out until the closure returns.
    struct Buffer {
        var bytes: UnsafeRawBufferPointer
        /// The driver's capture time in microseconds (CLOCK_MONOTONIC for nearly all drivers); nil when unset.
        var timestamp: Int64?
        var sequence: UInt32
        /// The driver flagged the data as damaged (V4L2_BUF_FLAG_ERROR).
        var isDamaged: Bool
    }

    let device: any V4L2Device
    let card: String
    let format: CaptureFormat
    private var mappings: [(address: UnsafeMutableRawPointer, length: Int)] = []
    private var streaming = false
    private var stopped = false
    /// A failure re-queueing the last buffer, reported on the next call so that frame still counts.
    private var pendingError: V4L2CallError?

    /// Negotiates with an opened, checked capture node and starts streaming; closes it on failure.
    init(device: any V4L2Device, card: String, request: CaptureRequest, logger: Logger) throws(CaptureError) {
        self.device = device
        self.card = card
        do {
            format = try FormatNegotiator(device: device, logger: logger).negotiate(request)
        } catch {
            device.close()
            throw error
        }
        do {
            try start(bufferCount: request.bufferCount)
        } catch {
            stop()
            throw error
        }
    }

    deinit {
        stop()
    }

    private func start(bufferCount: Int) throws(CaptureError) {
        var request = v4l2_requestbuffers()
        request.count = UInt32(max(2, bufferCount))
        request.type = V4L2Constants.captureType
        request.memory = V4L2Constants.mmapMemory
        try call { () throws(V4L2CallError) in try device.ioctl(.requestBuffers, &request) }
        guard request.count >= 2 else { throw .tooFewBuffers(path: device.path, count: Int(request.count)) }
        for index in 0..<request.count {
            var buffer = describe(index)
            try call { () throws(V4L2CallError) in
                try device.ioctl(.queryBuffer, &buffer)
                let length = Int(buffer.length)
                mappings.append((try device.map(length: length, offset: Int(buffer.m.offset)), length))
            }
        }
        for index in 0..<request.count {
            var buffer = describe(index)
            try call { () throws(V4L2CallError) in try device.ioctl(.queueBuffer, &buffer) }
        }
        var type = Int32(V4L2Constants.captureType)
        try call { () throws(V4L2CallError) in try device.ioctl(.streamOn, &type) }
        streaming = true
    }

    /// Waits up to `timeout` seconds for a filled buffer, lends it to `body`, and queues it again.
    /// nil when the time ran out; throws when the device failed (unplugged, usually).
    func withNextBuffer<T>(timeout: Double, _ body: (Buffer) -> T) throws(V4L2CallError) -> T? {
        if let pendingError { throw pendingError }
        let deadline = MonotonicClock.now() + timeout
        while true {
            let remaining = deadline - MonotonicClock.now()
            guard remaining > 0, try device.waitForFrame(timeout: remaining) else { return nil }
            var buffer = describe(0)
            do {
                try device.ioctl(.dequeueBuffer, &buffer)
            } catch where error.code == EAGAIN {
                continue  // woken without a buffer ready
            }
            let index = Int(buffer.index)
            guard index < mappings.count else { throw V4L2CallError(call: "VIDIOC_DQBUF (index \(index))", code: EINVAL) }
            let mapping = mappings[index]
            let used = buffer.bytesused > 0 ? min(Int(buffer.bytesused), mapping.length) : mapping.length
            let microseconds = Int64(buffer.timestamp.tv_sec) * 1_000_000 + Int64(buffer.timestamp.tv_usec)
            let result = body(Buffer(bytes: UnsafeRawBufferPointer(start: mapping.address, count: used),
                                     timestamp: microseconds > 0 ? microseconds : nil, sequence: buffer.sequence,
                                     isDamaged: buffer.flags & UInt32(V4L2_BUF_FLAG_ERROR) != 0))
            do {
                try device.ioctl(.queueBuffer, &buffer)
            } catch {
                pendingError = error
            }
            return result
        }
    }

    /// Stops streaming, unmaps and frees the buffers, closes the node. Errors are ignored:
    /// after an unplug every call fails, and everything must still be released.
    func stop() {
        guard !stopped else { return }
        stopped = true
        if streaming {
            var type = Int32(V4L2Constants.captureType)
            try? device.ioctl(.streamOff, &type)
            streaming = false
        }
        for mapping in mappings { device.unmap(mapping.address, length: mapping.length) }
        if !mappings.isEmpty {
            var request = v4l2_requestbuffers()
            request.type = V4L2Constants.captureType
            request.memory = V4L2Constants.mmapMemory
            try? device.ioctl(.requestBuffers, &request)  // count 0 frees them in the driver
        }
        mappings = []
        device.close()
    }

    private func describe(_ index: UInt32) -> v4l2_buffer {
        var buffer = v4l2_buffer()
        buffer.index = index
        buffer.type = V4L2Constants.captureType
        buffer.memory = V4L2Constants.mmapMemory
        return buffer
    }

    private func call(_ body: () throws(V4L2CallError) -> Void) throws(CaptureError) {
        do {
            try body()
        } catch where error.code == EBUSY {
            throw .busy(path: device.path)
        } catch {
            throw .setupFailed(path: device.path, error: error)
        }
    }
}
