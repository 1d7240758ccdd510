import BackdropCore
import CFFmpeg
import Media

/// libx264 through libavcodec, with what the selective stream needs per frame: SEI
/// user-data-unregistered payloads (`udu_sei`), region-of-interest quantiser offsets, and IDR
/// pictures exactly where asked (scene-cut detection off), so refresh points are predictable.
final class H264Encoder {
    let width: Int
    let height: Int
    let timeBase: Rational
    private let context: CodecHandle
    private let frame = Frame()
    private let packet = Packet()

    /// `globalHeader`: parameter sets in the extradata as well (MP4, and the SDP of RTP).
    init(width: Int, height: Int, frameRate: Rational, timeBase: Rational, options: SelectiveEncoderOptions,
         globalHeader: Bool) throws(SelectiveCodecError) {
        guard width >= 16, height >= 16, width % 2 == 0, height % 2 == 0, width <= 8192, height <= 8192 else {
            throw .invalidSize(width: width, height: height, reason: "H.264 needs even sizes in 16...8192")
        }
        guard let codec = avcodec_find_encoder_by_name("libx264") else { throw .encoderMissing(name: "libx264") }
        self.width = width
        self.height = height
        self.timeBase = timeBase
        context = try CodecHandle(codec: codec)
        let e = context.pointer
        e.pointee.width = Int32(width)
        e.pointee.height = Int32(height)
        e.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        e.pointee.color_range = AVCOL_RANGE_MPEG
        e.pointee.time_base = timeBase.av
        e.pointee.framerate = frameRate.av
        let keyint = max(1, Int((options.keyframeInterval * frameRate.doubleValue).rounded()))
        e.pointee.gop_size = Int32(keyint)
        e.pointee.keyint_min = Int32(keyint)
        if globalHeader { e.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        var params = "scenecut=0"
        var dictionary = OptionList()
        defer { dictionary.free() }
        dictionary.set("preset", options.preset)
        dictionary.set("forced-idr", "1")
        dictionary.set("udu_sei", "1")
        if options.live {
            dictionary.set("tune", "zerolatency")
            e.pointee.max_b_frames = 0
            // A receiver joining late or having lost the SDP needs SPS/PPS before every IDR.
            params += ":repeat-headers=1"
        }
        dictionary.set("x264-params", params)
        if let bitRate = options.bitRate {
            e.pointee.bit_rate = Int64(bitRate)
            if options.live {
                e.pointee.rc_max_rate = Int64(bitRate)
                e.pointee.rc_buffer_size = Int32(bitRate / 2)
            }
        } else {
            dictionary.set("crf", "\(options.crf)")
        }
        let opened = avcodec_open2(e, codec, &dictionary.pointer)
        guard opened >= 0 else { throw .ffmpeg("opening libx264 at \(width)x\(height)", opened) }
    }

    /// The codec context, for the muxer's stream parameters.
    var codecContext: UnsafeMutablePointer<AVCodecContext> { context.pointer }

    /// Encodes one picture; `sei` are whole user-data-unregistered payloads (UUID first),
    /// `backgroundRuns` macroblock runs that get `quantizerOffset`. Packets that come out are
    /// handed to `output` (in the encoder's time base) and released afterwards.
    func encode(_ picture: VideoFrame, pts: Int64, keyframe: Bool, sei: [[UInt8]],
                backgroundRuns: [(row: Int, start: Int, end: Int)], quantizerOffset: Double?,
                output: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        let f = frame.pointer
        let loaded = frame.load(picture)
        guard loaded >= 0 else { throw SelectiveCodecError.ffmpeg("allocating a frame", loaded) }
        // The frame is reused: the previous picture's side data would otherwise carry over.
        av_frame_remove_side_data(f, AV_FRAME_DATA_SEI_UNREGISTERED)
        av_frame_remove_side_data(f, AV_FRAME_DATA_REGIONS_OF_INTEREST)
        f.pointee.pts = pts
        f.pointee.pict_type = keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE
        for payload in sei {
            guard let side = av_frame_new_side_data(f, AV_FRAME_DATA_SEI_UNREGISTERED, payload.count) else {
                throw SelectiveCodecError.ffmpeg("attaching side data", backdrop_averror(ENOMEM))
            }
            payload.withUnsafeBufferPointer { side.pointee.data.update(from: $0.baseAddress!, count: payload.count) }
        }
        if let quantizerOffset, !backgroundRuns.isEmpty {
            try attachRegions(backgroundRuns, offset: quantizerOffset, to: f)
        }
        let sent = avcodec_send_frame(context.pointer, f)
        guard sent >= 0 else { throw SelectiveCodecError.ffmpeg("encoding a frame", sent) }
        try drain(output)
    }

    /// Flushes the encoder's delayed pictures.
    func flush(output: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        _ = avcodec_send_frame(context.pointer, nil)
        try drain(output)
    }

    private func drain(_ output: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        while true {
            let status = avcodec_receive_packet(context.pointer, packet.pointer)
            if status == backdrop_averror_eagain() || status == backdrop_averror_eof() { return }
            guard status >= 0 else { throw SelectiveCodecError.ffmpeg("encoding", status) }
            defer { av_packet_unref(packet.pointer) }
            try output(packet.pointer)
        }
    }

    /// libx264 applies `AVRegionOfInterest` rectangles as per-macroblock quantiser offsets
    /// (positive = coarser), as a fraction of its QP range.
    private func attachRegions(_ runs: [(row: Int, start: Int, end: Int)], offset: Double,
                               to f: UnsafeMutablePointer<AVFrame>) throws {
        let size = MemoryLayout<AVRegionOfInterest>.stride
        guard let side = av_frame_new_side_data(f, AV_FRAME_DATA_REGIONS_OF_INTEREST, runs.count * size) else {
            throw SelectiveCodecError.ffmpeg("attaching regions of interest", backdrop_averror(ENOMEM))
        }
        let regions = UnsafeMutableRawPointer(side.pointee.data).bindMemory(to: AVRegionOfInterest.self, capacity: runs.count)
        let numerator = Int32((offset * 1000).rounded())
        for (index, run) in runs.enumerated() {
            regions[index] = AVRegionOfInterest(self_size: UInt32(size), top: Int32(run.row * 16), bottom: Int32(run.row * 16 + 16),
                                                left: Int32(run.start * 16), right: Int32(run.end * 16),
                                                qoffset: AVRational(num: numerator, den: 1000))
        }
    }
}
