import CFFmpeg

/// Decodes a camera's MJPEG frames with libavcodec and converts them to limited-range yuv420p
/// with swscale. Owns the decoder, its packet and frames, and the scaler context.
final class JPEGDecoder {
    private let context: UnsafeMutablePointer<AVCodecContext>
    private var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
    private var decoded: UnsafeMutablePointer<AVFrame>? = av_frame_alloc()
    private var converted: UnsafeMutablePointer<AVFrame>? = av_frame_alloc()
    private var scaler: OpaquePointer?
    private var scalerKey: [Int32] = []
    /// libavcodec reads up to AV_INPUT_BUFFER_PADDING_SIZE bytes past the data; mmap buffers have no slack.
    private var padded: [UInt8] = []

    init() throws(FrameDecodeError) {
        guard let codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG), let context = avcodec_alloc_context3(codec) else {
            throw .jpeg("this FFmpeg build has no MJPEG decoder")
        }
        self.context = context
        // One frame in, the same frame out: frame threading would add a frame of latency.
        context.pointee.thread_count = 1
        context.pointee.flags |= AV_CODEC_FLAG_LOW_DELAY
        let status = avcodec_open2(context, codec, nil)
        guard status >= 0 else { throw .jpeg("opening the decoder: \(Self.message(status))") }
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
        av_packet_free(&packet)
        av_frame_free(&decoded)
        av_frame_free(&converted)
        sws_freeContext(scaler)
    }

    /// One JPEG image to `width` x `height` yuv420p planes (scaled if the camera sent another size).
    func decode(_ bytes: UnsafeRawBufferPointer, width: Int, height: Int) throws(FrameDecodeError) -> RawFrameConversion.Planes {
        guard bytes.count > 0, let packet, let decoded, let converted else { throw .jpeg("empty frame") }
        let padding = Int(AV_INPUT_BUFFER_PADDING_SIZE)
        if padded.count < bytes.count + padding { padded = [UInt8](repeating: 0, count: bytes.count + padding) }
        let sent: Int32 = padded.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.initialize(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            (buffer.baseAddress! + bytes.count).initialize(repeating: 0, count: padding)
            packet.pointee.data = buffer.baseAddress
            packet.pointee.size = Int32(bytes.count)
            defer {
                packet.pointee.data = nil
                packet.pointee.size = 0
            }
            return avcodec_send_packet(context, packet)  // copies non-refcounted data
        }
        guard sent >= 0 else { throw .jpeg(Self.message(sent)) }
        let received = avcodec_receive_frame(context, decoded)
        guard received >= 0 else { throw .jpeg(Self.message(received)) }
        defer { av_frame_unref(decoded) }
        guard decoded.pointee.width > 0, decoded.pointee.height > 0 else { throw .jpeg("decoded an empty picture") }
        if let planes = RangeConversion.toLimited420(decoded, width: width, height: height) { return planes }
        let scaler = try prepareScaler(for: decoded, width: width, height: height)
        let status = sws_scale_frame(scaler, converted, decoded)
        guard status >= 0 else { throw .jpeg("converting to yuv420p: \(Self.message(status))") }
        let cw = width / 2, ch = height / 2
        return (copy(converted, plane: 0, width: width, height: height),
                copy(converted, plane: 1, width: cw, height: ch),
                copy(converted, plane: 2, width: cw, height: ch))
    }

    /// A scaler for this source format, range and size; rebuilt only when they change.
    private func prepareScaler(for frame: UnsafeMutablePointer<AVFrame>, width: Int, height: Int) throws(FrameDecodeError) -> OpaquePointer {
        var format = AVPixelFormat(rawValue: frame.pointee.format)
        var fullRange = frame.pointee.color_range == AVCOL_RANGE_JPEG
        // The yuvj formats are deprecated in swscale: the plain format plus an explicit range.
        switch format {
        case AV_PIX_FMT_YUVJ420P: (format, fullRange) = (AV_PIX_FMT_YUV420P, true)
        case AV_PIX_FMT_YUVJ422P: (format, fullRange) = (AV_PIX_FMT_YUV422P, true)
        case AV_PIX_FMT_YUVJ444P: (format, fullRange) = (AV_PIX_FMT_YUV444P, true)
        case AV_PIX_FMT_YUVJ440P: (format, fullRange) = (AV_PIX_FMT_YUV440P, true)
        default: break
        }
        let key = [format.rawValue, fullRange ? 1 : 0, frame.pointee.width, frame.pointee.height, Int32(width), Int32(height)]
        if key == scalerKey, let scaler { return scaler }
        sws_freeContext(scaler)
        scalerKey = []
        av_frame_unref(converted)
        scaler = sws_getContext(frame.pointee.width, frame.pointee.height, format, Int32(width), Int32(height),
                                AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        guard let scaler else { throw .jpeg("no conversion from pixel format \(format.rawValue) to yuv420p") }
        if fullRange {
            var inverse: UnsafeMutablePointer<Int32>?, table: UnsafeMutablePointer<Int32>?
            var sourceRange: Int32 = 0, targetRange: Int32 = 0, brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
            if sws_getColorspaceDetails(scaler, &inverse, &sourceRange, &table, &targetRange,
                                        &brightness, &contrast, &saturation) >= 0 {
                _ = sws_setColorspaceDetails(scaler, inverse, 1, table, 0, brightness, contrast, saturation)
            }
        }
        scalerKey = key
        return scaler
    }

    private func copy(_ frame: UnsafeMutablePointer<AVFrame>, plane: Int32, width: Int, height: Int) -> [UInt8] {
        RawFrameConversion.copyPlane(backdrop_frame_plane(frame, plane), stride: Int(backdrop_frame_linesize(frame, plane)),
                                     width: width, height: height)
    }

    private static func message(_ code: Int32) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            backdrop_av_strerror(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }
}
