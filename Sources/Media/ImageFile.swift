import BackdropCore
import CFFmpeg

/// Reads still pictures (PNG, JPEG, BMP, …) as RGB24 and writes PNGs, through FFmpeg.
public enum ImageFile {
    /// The first picture in the file at `path`, as RGB24 (any alpha channel is dropped).
    public static func load(path: String) throws -> RGBImage {
        // image2 with pattern_type=none takes the name literally: a '%' or '*' in it is not a pattern.
        let input = try InputContext(url: path, format: av_find_input_format("image2"),
                                     options: ["pattern_type": "none"], name: path)
        let probe = avformat_find_stream_info(input.pointer, nil)
        guard probe >= 0 else { throw MediaError.openFailed(path: path, message: MediaError.message(probe)) }
        var codec: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(input.pointer, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)
        guard index >= 0, let codec else { throw MediaError.noVideoStream(path: path) }
        let decoder = try CodecContext(codec: codec)
        var status = avcodec_parameters_to_context(decoder.pointer, input.stream(index).pointee.codecpar)
        if status >= 0 { status = avcodec_open2(decoder.pointer, codec, nil) }
        guard status >= 0 else { throw MediaError.decodeFailed(path: path, code: status, message: MediaError.message(status)) }

        let frame = Frame()
        try decodeFirstFrame(input: input, stream: index, decoder: decoder, into: frame, path: path)
        return try rgbImage(from: frame.pointer)
    }

    /// Writes `image` as an RGB24 PNG at `path`, replacing any file there.
    public static func savePNG(_ image: RGBImage, path: String) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG) else { throw MediaError.encoderMissing(name: "png") }
        let encoder = try CodecContext(codec: codec)
        encoder.pointer.pointee.width = Int32(image.width)
        encoder.pointer.pointee.height = Int32(image.height)
        encoder.pointer.pointee.pix_fmt = AV_PIX_FMT_RGB24
        encoder.pointer.pointee.time_base = AVRational(num: 1, den: 1)
        var status = avcodec_open2(encoder.pointer, codec, nil)
        guard status >= 0 else { throw MediaError.encodeFailed(path: path, code: status, message: MediaError.message(status)) }

        let frame = Frame()
        frame.pointer.pointee.format = AV_PIX_FMT_RGB24.rawValue
        frame.pointer.pointee.width = Int32(image.width)
        frame.pointer.pointee.height = Int32(image.height)
        status = av_frame_get_buffer(frame.pointer, 0)
        guard status >= 0 else { throw MediaError.ffmpeg("allocating a frame", status) }
        image.pixels.withUnsafeBufferPointer { pixels in
            copyPlane(from: pixels.baseAddress!, stride: image.width * 3,
                      to: backdrop_frame_plane(frame.pointer, 0), stride: Int(backdrop_frame_linesize(frame.pointer, 0)),
                      rowBytes: image.width * 3, rows: image.height)
        }
        status = avcodec_send_frame(encoder.pointer, frame.pointer)
        if status >= 0 { status = avcodec_send_frame(encoder.pointer, nil) }
        let packet = Packet()
        if status >= 0 { status = avcodec_receive_packet(encoder.pointer, packet.pointer) }
        guard status >= 0 else { throw MediaError.encodeFailed(path: path, code: status, message: MediaError.message(status)) }
        try write(packet.pointer, to: path)
    }

    // MARK: - Helpers

    private static func decodeFirstFrame(input: InputContext, stream: Int32, decoder: CodecContext,
                                         into frame: Frame, path: String) throws {
        let packet = Packet()
        var flushed = false
        while true {
            let received = avcodec_receive_frame(decoder.pointer, frame.pointer)
            if received >= 0 { return }
            guard received == backdrop_averror_eagain(), !flushed else {
                let code = received == backdrop_averror_eof() ? backdrop_averror(EINVAL) : received
                throw MediaError.decodeFailed(path: path, code: code, message: received == backdrop_averror_eof()
                                              ? "no picture could be decoded" : MediaError.message(received))
            }
            let read = av_read_frame(input.pointer, packet.pointer)
            if read < 0 {
                flushed = true
                _ = avcodec_send_packet(decoder.pointer, nil)
                continue
            }
            defer { av_packet_unref(packet.pointer) }
            if packet.pointer.pointee.stream_index == stream {
                let sent = avcodec_send_packet(decoder.pointer, packet.pointer)
                guard sent >= 0 else { throw MediaError.decodeFailed(path: path, code: sent, message: MediaError.message(sent)) }
            }
        }
    }

    private static func rgbImage(from frame: UnsafeMutablePointer<AVFrame>) throws -> RGBImage {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        var pixels = [UInt8](simdPaddedCount: width * height * 3) { _ in }
        let source = PlanePointers(frame: frame, width: width, height: height)
        try pixels.withUnsafeMutableBufferPointer { buffer in
            if source.format == AV_PIX_FMT_RGB24 {
                copyPlane(from: source.data[0]!, stride: Int(source.strides[0]), to: buffer.baseAddress!,
                          stride: width * 3, rowBytes: width * 3, rows: height)
            } else {
                try SwsConverter(flags: SWS_BILINEAR).convert(source, to: .rgb24(buffer.baseAddress!, width: width, height: height))
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private static func write(_ packet: UnsafeMutablePointer<AVPacket>, to path: String) throws {
        var io: UnsafeMutablePointer<AVIOContext>?
        let opened = avio_open(&io, path, AVIO_FLAG_WRITE)
        guard opened >= 0, let io else {
            throw MediaError.writeFailed(path: path, code: opened, message: MediaError.message(opened))
        }
        avio_write(io, packet.pointee.data, packet.pointee.size)
        avio_flush(io)
        let failed = io.pointee.error
        var closing: UnsafeMutablePointer<AVIOContext>? = io
        let closed = avio_closep(&closing)
        let status = failed < 0 ? failed : closed
        guard status >= 0 else { throw MediaError.writeFailed(path: path, code: status, message: MediaError.message(status)) }
    }
}
