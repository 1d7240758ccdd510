import BackdropCore
import CFFmpeg
import Media
import Foundation
import Logging

/// The native half of an `RTPSink`: one encoder and one RTP muxer writing to a UDP socket, for
/// frames of exactly `width` x `height`. Owns every FFmpeg handle it uses.
final class RTPStream {
    let width: Int
    let height: Int
    let sdp: String
    private(set) var sendErrors = 0

    /// The RTP clock rate of video payloads (RFC 3551).
    static let clockRate = Rational(1, 90000)

    private let name: String
    private let frameRate: Rational
    private let output: OutputContext
    private let encoder: CodecContext
    private let stream: UnsafeMutablePointer<AVStream>
    private let frame = Frame()
    private let packet = Packet()
    private let logger: Logger
    private var sendThrottle = LogThrottle()
    private var lastPts: Int64?
    private var warnedAboutPts = false

    /// Opens the encoder and the socket and writes the RTP header; `url` is `rtp://` or `srtp://`.
    init(url: String, name: String, options: RTPStreamOptions, key: SRTPKey?, width: Int, height: Int,
         frameRate: Rational, logger: Logger) throws(StreamingError) {
        self.name = name
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.logger = logger
        encoder = try Self.openEncoder(options: options, width: width, height: height, frameRate: frameRate)
        output = try OutputContext(muxer: "rtp", url: url, name: name)
        let context = output.pointer
        if options.codec == .vp9 { context.pointee.strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL }
        av_dict_set(&context.pointee.metadata, "title", "Backdrop", 0)  // the SDP's session name
        context.pointee.packet_size = UInt32(options.packetSize)
        guard let stream = avformat_new_stream(context, nil) else {
            throw StreamingError.ffmpeg("adding a stream", backdrop_averror(ENOMEM))
        }
        self.stream = stream
        let copied = avcodec_parameters_from_context(stream.pointee.codecpar, encoder.pointer)
        guard copied >= 0 else { throw StreamingError.ffmpeg("configuring the RTP stream", copied) }
        stream.pointee.time_base = Self.clockRate.av
        stream.pointee.avg_frame_rate = frameRate.av

        var io = OptionDictionary()
        defer { io.free() }
        if let key {
            io.set("srtp_out_suite", options.srtpSuite)
            io.set("srtp_out_params", key.base64)
        }
        var status = avio_open2(&context.pointee.pb, url, AVIO_FLAG_WRITE, nil, &io.pointer)
        guard status >= 0 else { throw .sendFailed(url: name, code: status, message: StreamingError.message(status)) }
        // send_bye: finish() tells receivers the stream ended (RTCP BYE), so they stop waiting
        // and flush the frames they hold back.
        var muxerOptions = OptionDictionary([("rtpflags", "send_bye")])
        defer { muxerOptions.free() }
        status = avformat_write_header(context, &muxerOptions.pointer)
        guard status >= 0 else { throw .sendFailed(url: name, code: status, message: StreamingError.message(status)) }
        // Writing the header may already have hit a refused port; that is not fatal.
        context.pointee.pb.pointee.error = 0

        var description = try Self.sessionDescription(context)
        if key != nil {
            // FFmpeg writes RTP/AVP even with an a=crypto line; SDES keys belong to RTP/SAVP (RFC 4568).
            description = description.replacingOccurrences(of: " RTP/AVP ", with: " RTP/SAVP ")
        }
        sdp = description
    }

    /// Encodes `picture` (of the stream's size) and sends its packets before returning.
    func send(_ picture: VideoFrame) throws(StreamingError) {
        let f = frame.pointer
        let loaded = frame.load(picture)
        guard loaded >= 0 else { throw StreamingError.ffmpeg("allocating a frame", loaded) }
        f.pointee.pts = nextPts(for: picture)
        let sent = avcodec_send_frame(encoder.pointer, f)
        guard sent >= 0 else { throw StreamingError.ffmpeg("encoding a frame for \(name)", sent) }
        try sendPackets()
    }

    /// Flushes the encoder, says BYE and closes the socket.
    func finish() throws(StreamingError) {
        defer { output.closeOutput() }
        _ = avcodec_send_frame(encoder.pointer, nil)
        try sendPackets()
        // FFmpeg-based receivers read the RTCP socket before the RTP one: a BYE right behind the
        // last packets would overtake them and end the stream a frame early.
        usleep(30_000)
        if av_write_trailer(output.pointer) < 0 { sendErrors += 1 }  // the BYE may meet a closed port too
    }

    // MARK: - Sending

    private func sendPackets() throws(StreamingError) {
        while true {
            let status = avcodec_receive_packet(encoder.pointer, packet.pointer)
            if status == backdrop_averror_eagain() || status == backdrop_averror_eof() { return }
            guard status >= 0 else { throw StreamingError.ffmpeg("encoding for \(name)", status) }
            defer { av_packet_unref(packet.pointer) }
            av_packet_rescale_ts(packet.pointer, encoder.pointer.pointee.time_base, stream.pointee.time_base)
            packet.pointer.pointee.stream_index = stream.pointee.index
            let written = av_write_frame(output.pointer, packet.pointer)
            guard written < 0 else { continue }
            guard let io = output.pointer.pointee.pb, io.pointee.error < 0 else {
                throw .sendFailed(url: name, code: written, message: StreamingError.message(written))
            }
            // A socket error: once set, AVIOContext drops every later write, so clear it and go on.
            io.pointee.error = 0
            sendErrors += 1
            let (log, held) = sendThrottle.admit()
            if log {
                let hint = written == backdrop_averror(ECONNREFUSED) ? " (nobody is listening yet?)" : ""
                let more = held > 0 ? " (\(held) more failures since the last message)" : ""
                logger.warning("\(name): sending failed: \(StreamingError.message(written))\(hint); dropping packets and going on\(more)")
            }
        }
    }

    /// The frame's time in the 90 kHz RTP clock, nudged forward if it would not increase
    /// (the muxer refuses repeated timestamps).
    private func nextPts(for frame: VideoFrame) -> Int64 {
        let step = Int64(90000 / max(1, frameRate.doubleValue))
        var pts = frame.timeBase.isValid
            ? av_rescale_q(frame.pts, frame.timeBase.av, Self.clockRate.av) : (lastPts ?? -step) + step
        if let last = lastPts, pts <= last {
            if !warnedAboutPts {
                warnedAboutPts = true
                logger.warning("\(name): frame timestamps do not increase; shifting them")
            }
            pts = last + 1
        }
        lastPts = pts
        return pts
    }


    // MARK: - Setup

    private static func openEncoder(options: RTPStreamOptions, width: Int, height: Int,
                                    frameRate: Rational) throws(StreamingError) -> CodecContext {
        let name = options.codec == .h264 ? "libx264" : "libvpx-vp9"
        guard let codec = avcodec_find_encoder_by_name(name) else { throw .encoderMissing(name: name) }
        let encoder = try CodecContext(codec: codec)
        let e = encoder.pointer
        e.pointee.width = Int32(width)
        e.pointee.height = Int32(height)
        e.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        e.pointee.color_range = AVCOL_RANGE_MPEG
        e.pointee.time_base = clockRate.av
        e.pointee.framerate = frameRate.av
        e.pointee.gop_size = Int32(options.keyframeInterval.frames(at: frameRate))
        e.pointee.max_b_frames = 0
        // Parameter sets also go into the SDP (sprop-parameter-sets), for players that want them there.
        e.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        // A ceiling in either mode: constant quality on a noisy webcam picture would otherwise
        // take tens of Mbit/s, and x264 as much CPU. Half a second of buffer bounds burst and delay.
        let ceiling = options.bitRate ?? RTPStreamOptions.qualityCeiling(width: width, height: height, frameRate: frameRate)
        e.pointee.rc_max_rate = Int64(ceiling)
        e.pointee.rc_buffer_size = Int32(ceiling / 2)
        if let bitRate = options.bitRate { e.pointee.bit_rate = Int64(bitRate) }
        var dictionary = OptionDictionary()
        defer { dictionary.free() }
        switch options.codec {
        case .h264:
            dictionary.set("preset", "veryfast")
            dictionary.set("tune", "zerolatency")
            dictionary.set("forced-idr", "1")
            // With global headers x264 would stop repeating SPS/PPS in-band; a receiver that
            // joins late or lost the SDP's copy needs them before every keyframe.
            dictionary.set("x264-params", "repeat-headers=1")
            if options.intraRefresh { dictionary.set("intra-refresh", "1") }
            if options.bitRate == nil { dictionary.set("crf", "\(options.crf ?? 23)") }
        case .vp9:
            dictionary.set("deadline", "realtime")
            dictionary.set("cpu-used", "8")
            dictionary.set("lag-in-frames", "0")
            dictionary.set("row-mt", "1")
            dictionary.set("error-resilient", "default")
            e.pointee.keyint_min = e.pointee.gop_size
            if options.bitRate == nil {
                // Constrained quality: libvpx reads the bit rate as the ceiling.
                dictionary.set("crf", "\(options.crf ?? 32)")
                e.pointee.bit_rate = Int64(ceiling)
            }
        }
        let opened = avcodec_open2(e, codec, &dictionary.pointer)
        guard opened >= 0 else {
            throw StreamingError.ffmpeg("opening \(name) at \(width)x\(height)", opened)
        }
        return encoder
    }

    private static func sessionDescription(_ context: UnsafeMutablePointer<AVFormatContext>) throws(StreamingError) -> String {
        var contexts: [UnsafeMutablePointer<AVFormatContext>?] = [context]
        var buffer = [CChar](repeating: 0, count: 16384)
        let status = av_sdp_create(&contexts, 1, &buffer, Int32(buffer.count))
        guard status >= 0 else {
            throw StreamingError.ffmpeg("creating the SDP", status)
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

}
