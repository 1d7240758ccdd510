import BackdropCore
import CFFmpeg
import Media
import Foundation
import Logging
import Streaming

/// Reads a video stream with its SEI user-data-unregistered payloads: a file (MP4, MKV, raw
/// H.264), an SDP file, or `rtp://HOST:PORT` (H.264). The H.264 decoder hands each picture's SEI
/// payloads back as frame side data; this keeps them with the picture.
///
/// Damaged pictures, and everything after one until the next keyframe, are dropped (as
/// `RTPReceiver` does), so a receiver never shows, nor composites with, a broken picture.
public final class SelectiveStreamReader {
    /// A decoded picture and the SEI payloads that came with it.
    public struct Picture: Sendable {
        public var frame: VideoFrame
        public var sideData: [[UInt8]]
        public var keyframe: Bool
    }

    public let name: String
    /// The picture size (even); for a network input 0 until the first picture arrives.
    public private(set) var width: Int
    public private(set) var height: Int
    public let frameRate: Rational
    public let timeBase: Rational
    /// Pictures dropped as damaged or depending on damaged ones.
    public private(set) var droppedPictures = 0
    /// Packets or pictures the decoder refused.
    public private(set) var decodeErrors = 0

    /// AV_FRAME_FLAG_CORRUPT, (1 << 0) in libavutil/frame.h: a macro Swift does not import.
    private static let corruptFlag: Int32 = 1 << 0

    private var input: UnsafeMutablePointer<AVFormatContext>?
    private let decoder: CodecHandle
    private let packet = Packet()
    private let decoded = Frame()
    private let converter = DecodedPictureConverter()
    private let videoIndex: Int32
    private let silence: ReadTimeout
    private let isNetwork: Bool
    private let logger: Logger
    private var damaged = false
    private var draining = false
    private var finished = false

    /// `silenceTimeout`: for network inputs, seconds without a packet after which `next()`
    /// returns nil (the stream is over).
    public init(input: String, silenceTimeout: Double = 2, logger: Logger) throws {
        _ = networkReady
        name = input
        self.logger = logger
        silence = ReadTimeout()
        let lower = input.lowercased()
        var sdpPath: String?
        var temporary = false
        if lower.hasPrefix("rtp://") || lower.hasPrefix("srtp://") {
            sdpPath = try RTPReceiver.writeTemporarySDP(for: input)
            temporary = true
        } else if lower.hasSuffix(".sdp") {
            sdpPath = input
        }
        defer { if temporary, let sdpPath { unlink(sdpPath) } }
        isNetwork = sdpPath != nil
        silence.seconds = silenceTimeout

        var context: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        guard context != nil else { throw SelectiveCodecError.ffmpeg("allocating a demuxer", backdrop_averror(ENOMEM)) }
        context!.pointee.interrupt_callback = silence.callback
        var options = OptionList()
        defer { options.free() }
        if isNetwork {
            options.set("protocol_whitelist", "file,udp,rtp,srtp,crypto")
            options.set("reorder_queue_size", "64")
            options.set("max_delay", "50000")
            options.set("buffer_size", "\(4 << 20)")
        }
        silence.arm(seconds: max(5, silenceTimeout))
        let opened = avformat_open_input(&context, sdpPath ?? input, sdpPath != nil ? av_find_input_format("sdp") : nil,
                                         &options.pointer)
        silence.disarm()
        guard opened >= 0, let context else {
            throw SelectiveCodecError.openFailed(input: input, message: SelectiveCodecError.message(opened))
        }
        do {
            (videoIndex, decoder, width, height, frameRate, timeBase) = try Self.openDecoder(context, name: input,
                                                                                          probe: !isNetwork)
        } catch {
            var closing: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&closing)
            throw error
        }
        self.input = context
    }

    private static func openDecoder(_ context: UnsafeMutablePointer<AVFormatContext>, name: String, probe: Bool) throws
        -> (Int32, CodecHandle, Int, Int, Rational, Rational) {
        if probe {
            let probed = avformat_find_stream_info(context, nil)
            guard probed >= 0 else { throw SelectiveCodecError.openFailed(input: name, message: SelectiveCodecError.message(probed)) }
        }
        var codec: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)
        guard index >= 0, let codec else { throw SelectiveCodecError.noVideoStream(input: name) }
        for i in 0..<Int32(context.pointee.nb_streams) where i != index {
            context.pointee.streams[Int(i)]!.pointee.discard = AVDISCARD_ALL
        }
        let stream = context.pointee.streams[Int(index)]!
        let decoder = try CodecHandle(codec: codec)
        var status = avcodec_parameters_to_context(decoder.pointer, stream.pointee.codecpar)
        decoder.pointer.pointee.pkt_timebase = stream.pointee.time_base
        // One thread: slice threads switch off the H.264 decoder's error concealment and with
        // it the damage flags relied on; frame threads add delay.
        decoder.pointer.pointee.thread_count = 1
        if status >= 0 { status = avcodec_open2(decoder.pointer, codec, nil) }
        guard status >= 0 else { throw SelectiveCodecError.ffmpeg("opening the decoder for '\(name)'", status) }
        let parameters = stream.pointee.codecpar.pointee
        let width = Int(parameters.width) & ~1, height = Int(parameters.height) & ~1
        guard !probe || (width >= 2 && height >= 2) else {
            throw SelectiveCodecError.invalidSize(width: Int(parameters.width), height: Int(parameters.height),
                                                  reason: "no picture size in '\(name)' (no parameter sets?)")
        }
        let guessed = Rational(av_guess_frame_rate(context, stream, nil))
        return (index, decoder, width, height, guessed.isValid ? guessed : Rational(30, 1), Rational(stream.pointee.time_base))
    }

    deinit {
        close()
    }

    public func close() {
        guard input != nil else { return }
        avformat_close_input(&input)
    }

    /// The next undamaged picture; nil at the end (or, for a network input, after the silence timeout).
    public func next() throws -> Picture? {
        while !finished {
            if let picture = try receive() { return picture }
            if finished { break }
            if draining { continue }
            guard let context = input else { return nil }
            if isNetwork { silence.arm(seconds: silence.seconds) }
            let status = av_read_frame(context, packet.pointer)
            silence.disarm()
            if status < 0 {
                if status == backdrop_averror(ENOMEM) { throw SelectiveCodecError.ffmpeg("reading '\(name)'", status) }
                if status != backdrop_averror_eof() && !isNetwork {
                    logger.warning("\(name): reading stopped early: \(SelectiveCodecError.message(status))")
                }
                draining = true
                _ = avcodec_send_packet(decoder.pointer, nil)
                continue
            }
            defer { av_packet_unref(packet.pointer) }
            guard packet.pointer.pointee.stream_index == videoIndex else { continue }
            let sent = avcodec_send_packet(decoder.pointer, packet.pointer)
            if sent < 0 && sent != backdrop_averror_eagain() {
                noteError("decoding a packet", sent)
            }
        }
        return nil
    }

    private func receive() throws -> Picture? {
        let frame = decoded.pointer
        while true {
            let status = avcodec_receive_frame(decoder.pointer, frame)
            if status == backdrop_averror_eagain() { return nil }
            if status == backdrop_averror_eof() {
                finished = true
                return nil
            }
            if status < 0 {
                noteError("decoding a picture", status)
                continue
            }
            defer { av_frame_unref(frame) }
            let f = frame.pointee
            let keyframe = f.key_frame != 0
            if f.decode_error_flags != 0 || f.flags & Self.corruptFlag != 0 {
                if !damaged { logger.info("\(name): damaged picture; dropping pictures until the next keyframe") }
                damaged = true
            } else if damaged && keyframe {
                damaged = false
                logger.info("\(name): recovered at a keyframe")
            }
            if damaged {
                droppedPictures += 1
                continue
            }
            let pts = f.best_effort_timestamp == backdrop_av_nopts_value() ? f.pts : f.best_effort_timestamp
            let picture = try converter.videoFrame(from: frame, pts: pts, timeBase: timeBase)
            (width, height) = (converter.width, converter.height)
            return Picture(frame: picture, sideData: DecodedPictureConverter.unregisteredSEI(frame), keyframe: keyframe)
        }
    }

    private func noteError(_ operation: String, _ status: Int32) {
        decodeErrors += 1
        damaged = true
        if decodeErrors <= 10 {
            logger.warning("\(name): \(operation) failed: \(SelectiveCodecError.message(status)); skipped")
        }
    }
}

/// Sockets need FFmpeg's network layer set up once per process.
private let networkReady: Void = { _ = avformat_network_init() }()
