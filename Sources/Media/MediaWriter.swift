import BackdropCore
import CFFmpeg
import Logging

/// Encodes `VideoFrame`s into an .mp4 or .mkv (H.264 via libx264) or a raw .y4m file, copying an
/// input's audio packets alongside when the container can hold them.
public final class MediaWriter {
    public let path: String
    public let container: ContainerFormat
    public let width: Int
    public let height: Int
    /// Whether audio packets are being written (false when none were offered or the container
    /// cannot hold their codec).
    public var hasAudio: Bool { audioStream != nil }
    public private(set) var framesWritten = 0

    private let output: OutputContext
    private let encoder: CodecContext
    private let videoStream: UnsafeMutablePointer<AVStream>
    private let audioStream: UnsafeMutablePointer<AVStream>?
    private let frame = Frame()
    private let packet = Packet()
    private let logger: Logger
    private var lastPts: Int64?
    private var warnedAboutPts = false
    private var finished = false

    /// Creates the file and writes its header. `timeBase` is the unit the encoder counts in
    /// (usually the reader's); frames may carry another, their pts are rescaled.
    public init(path: String, width: Int, height: Int, frameRate: Rational, timeBase: Rational,
                audio: AudioStreamParameters?, options: EncoderOptions = EncoderOptions(), logger: Logger) throws {
        guard let container = ContainerFormat(path: path) else {
            throw MediaError.unsupportedContainer(path: path, allowed: ContainerFormat.allCases.map(\.rawValue))
        }
        guard width >= 2, height >= 2, width % 2 == 0, height % 2 == 0 else {
            throw MediaError.invalidSize(width: width, height: height,
                                         reason: "yuv420p output needs even sizes of at least 2x2")
        }
        guard frameRate.isValid else {
            throw MediaError.ffmpeg(operation: "setting frame rate \(frameRate) for '\(path)'",
                                    code: backdrop_averror(EINVAL), message: "the frame rate must be positive")
        }
        self.path = path
        self.container = container
        self.width = width
        self.height = height
        self.logger = logger
        output = try OutputContext(muxer: container.muxer, path: path)
        guard let codec = avcodec_find_encoder_by_name(container.encoder) else {
            throw MediaError.encoderMissing(name: container.encoder)
        }
        encoder = try CodecContext(codec: codec)
        // yuv4mpeg writes 1/time_base as the frame rate into its header.
        let encoderTimeBase = container == .y4m || !timeBase.isValid
            ? Rational(frameRate.denominator, frameRate.numerator) : timeBase
        try Self.openEncoder(encoder.pointer, codec: codec, container: container, width: width, height: height,
                             frameRate: frameRate, timeBase: encoderTimeBase,
                             globalHeader: output.pointer.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0,
                             options: options, path: path)

        guard let video = avformat_new_stream(output.pointer, nil) else {
            throw MediaError.ffmpeg("adding a video stream to '\(path)'", backdrop_averror(ENOMEM))
        }
        let copied = avcodec_parameters_from_context(video.pointee.codecpar, encoder.pointer)
        guard copied >= 0 else { throw MediaError.ffmpeg("configuring the video stream of '\(path)'", copied) }
        video.pointee.time_base = encoderTimeBase.av
        video.pointee.avg_frame_rate = frameRate.av
        videoStream = video
        audioStream = try Self.addAudio(audio, to: output.pointer, container: container, path: path, logger: logger)

        try Self.openFile(output.pointer, path: path, fastStart: container == .mp4 && options.fastStart)
        logger.debug("writing", metadata: [
            "path": "\(path)", "size": "\(width)x\(height)", "rate": "\(frameRate)",
            "encoder": "\(container.encoder)", "audio": "\(hasAudio ? audio!.codecName : "none")",
        ])
    }

    /// Encodes one frame (it must have the writer's size).
    public func write(_ videoFrame: VideoFrame) throws {
        guard !finished else { throw MediaError.writerFinished(path: path) }
        guard videoFrame.width == width, videoFrame.height == height else {
            throw MediaError.frameSizeMismatch(expectedWidth: width, expectedHeight: height,
                                               width: videoFrame.width, height: videoFrame.height)
        }
        let f = frame.pointer
        let loaded = frame.load(videoFrame)
        guard loaded >= 0 else { throw MediaError.ffmpeg("allocating a frame", loaded) }
        f.pointee.pts = nextPts(for: videoFrame)
        let sent = avcodec_send_frame(encoder.pointer, f)
        guard sent >= 0 else {
            throw MediaError.encodeFailed(path: path, code: sent, message: MediaError.message(sent))
        }
        framesWritten += 1
        try writeEncodedPackets()
    }

    /// Copies one audio packet into the output; dropped silently when the output has no audio.
    public func write(_ encoded: EncodedPacket) throws {
        guard !finished else { throw MediaError.writerFinished(path: path) }
        guard let audioStream else { return }
        var copy = av_packet_clone(encoded.packet)
        guard let packet = copy else { throw MediaError.ffmpeg("copying an audio packet", backdrop_averror(ENOMEM)) }
        defer { av_packet_free(&copy) }
        av_packet_rescale_ts(packet, encoded.timeBase.av, audioStream.pointee.time_base)
        packet.pointee.stream_index = audioStream.pointee.index
        packet.pointee.pos = -1
        let written = av_interleaved_write_frame(output.pointer, packet)
        guard written >= 0 else {
            throw MediaError.writeFailed(path: path, code: written, message: MediaError.message(written))
        }
    }

    /// Flushes the encoder, writes the trailer and closes the file. Calling it again does nothing.
    /// Without it (deinit alone) the file is closed but left without its index.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        defer { output.closeFile() }
        _ = avcodec_send_frame(encoder.pointer, nil)
        try writeEncodedPackets()
        let status = av_write_trailer(output.pointer)
        guard status >= 0 else {
            throw MediaError.writeFailed(path: path, code: status, message: MediaError.message(status))
        }
        logger.debug("finished", metadata: ["path": "\(path)", "frames": "\(framesWritten)"])
    }

    // MARK: - Writing

    private func writeEncodedPackets() throws {
        while true {
            let status = avcodec_receive_packet(encoder.pointer, packet.pointer)
            if status == backdrop_averror_eagain() || status == backdrop_averror_eof() { return }
            guard status >= 0 else {
                throw MediaError.encodeFailed(path: path, code: status, message: MediaError.message(status))
            }
            av_packet_rescale_ts(packet.pointer, encoder.pointer.pointee.time_base, videoStream.pointee.time_base)
            packet.pointer.pointee.stream_index = videoStream.pointee.index
            // Takes the packet's reference and leaves it blank.
            let written = av_interleaved_write_frame(output.pointer, packet.pointer)
            guard written >= 0 else {
                throw MediaError.writeFailed(path: path, code: written, message: MediaError.message(written))
            }
        }
    }

    /// The frame's pts in the encoder's time base, nudged forward if it would not increase
    /// (encoders and muxers reject repeated timestamps).
    private func nextPts(for videoFrame: VideoFrame) -> Int64 {
        var pts = videoFrame.timeBase.isValid
            ? av_rescale_q(videoFrame.pts, videoFrame.timeBase.av, encoder.pointer.pointee.time_base)
            : (lastPts ?? -1) + 1
        if let last = lastPts, pts <= last {
            if !warnedAboutPts {
                warnedAboutPts = true
                logger.warning("frame timestamps for \(path) do not increase; shifting them")
            }
            pts = last + 1
        }
        lastPts = pts
        return pts
    }

    // MARK: - Setup helpers

    private static func openEncoder(_ encoder: UnsafeMutablePointer<AVCodecContext>, codec: UnsafePointer<AVCodec>,
                                    container: ContainerFormat, width: Int, height: Int, frameRate: Rational,
                                    timeBase: Rational, globalHeader: Bool, options: EncoderOptions,
                                    path: String) throws {
        encoder.pointee.width = Int32(width)
        encoder.pointee.height = Int32(height)
        encoder.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        encoder.pointee.time_base = timeBase.av
        encoder.pointee.framerate = frameRate.av
        encoder.pointee.color_range = AVCOL_RANGE_MPEG
        if globalHeader { encoder.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        if container != .y4m {
            av_dict_set(&dictionary, "preset", options.preset, 0)
            if let bitRate = options.bitRate {
                encoder.pointee.bit_rate = Int64(bitRate)
            } else {
                av_dict_set(&dictionary, "crf", "\(options.crf)", 0)
            }
        }
        let opened = avcodec_open2(encoder, codec, &dictionary)
        guard opened >= 0 else {
            throw MediaError.encodeFailed(path: path, code: opened, message: MediaError.message(opened))
        }
    }

    private static func addAudio(_ audio: AudioStreamParameters?, to context: UnsafeMutablePointer<AVFormatContext>,
                                 container: ContainerFormat, path: String,
                                 logger: Logger) throws -> UnsafeMutablePointer<AVStream>? {
        guard let audio else { return nil }
        let codecID = audio.parameters.pointee.codec_id
        // 1 = can hold it; 0 = cannot; negative = the muxer does not know (treat as cannot).
        guard avformat_query_codec(context.pointee.oformat, codecID, FF_COMPLIANCE_NORMAL) == 1 else {
            logger.warning("\(container.rawValue) cannot hold \(audio.codecName) audio; writing \(path) without sound")
            return nil
        }
        guard let stream = avformat_new_stream(context, nil) else {
            throw MediaError.ffmpeg("adding an audio stream to '\(path)'", backdrop_averror(ENOMEM))
        }
        let copied = avcodec_parameters_copy(stream.pointee.codecpar, audio.parameters)
        guard copied >= 0 else { throw MediaError.ffmpeg("copying audio parameters for '\(path)'", copied) }
        stream.pointee.codecpar.pointee.codec_tag = 0  // the input container's tag may mean nothing here
        stream.pointee.time_base = audio.timeBase.av
        return stream
    }

    private static func openFile(_ context: UnsafeMutablePointer<AVFormatContext>, path: String, fastStart: Bool) throws {
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            let opened = avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE)
            guard opened >= 0 else {
                throw MediaError.writeFailed(path: path, code: opened, message: MediaError.message(opened))
            }
        }
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        if fastStart { av_dict_set(&dictionary, "movflags", "+faststart", 0) }
        let status = avformat_write_header(context, &dictionary)
        guard status >= 0 else {
            throw MediaError.writeFailed(path: path, code: status, message: MediaError.message(status))
        }
    }
}
