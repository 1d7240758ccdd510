import BackdropCore
import CFFmpeg
import Foundation
import Logging

/// libavdevice's inputs (lavfi, v4l2, …) exist only after registration; network protocols
/// (https, rtsp) want their TLS/socket setup done once.
private let devicesRegistered: Void = {
    avdevice_register_all()
    _ = avformat_network_init()
}()

/// Decodes the best video stream of anything libavformat opens — files, URLs, devices, and
/// `lavfi:GRAPH` filter graphs — into yuv420p `VideoFrame`s, and passes the best audio stream's
/// packets through untouched for a writer to copy.
///
/// Frames are cropped to even sizes: yuv420p encoders (libx264 among them) and many apps refuse
/// odd widths and heights, and cropping one column/row keeps pixels exact where scaling would not.
public final class MediaReader {
    /// The prefix that selects libavdevice's lavfi input, e.g. `lavfi:testsrc2=size=320x240`.
    public static let lavfiPrefix = "lavfi:"

    public let url: String
    /// Size of every frame handed out (even; see the type's comment).
    public let width: Int
    public let height: Int
    public let frameRate: Rational
    /// The unit of every frame's `pts`.
    public let timeBase: Rational
    /// The expected number of frames, for a progress bar; nil when the input does not say.
    public let estimatedFrameCount: Int?
    /// The audio stream whose packets `next()` returns, if the input has one.
    public let audioStreamParameters: AudioStreamParameters?
    /// Packets or frames that failed to decode and were skipped.
    public private(set) var skippedCount = 0
    /// Why the input ended early, when it ended with a read error rather than at its end.
    public private(set) var readError: MediaError?

    private enum State { case reading, draining, finished }

    private let input: InputContext
    private let decoder: CodecContext
    private let packet = Packet()
    private let frame = Frame()
    private let converter = SwsConverter(flags: SWS_BILINEAR)
    private let videoIndex: Int32
    private let audioIndex: Int32?
    private let ptsStep: Int64
    private let logger: Logger
    private var state = State.reading
    private var lastPts: Int64?
    private var warnedAboutPts = false
    private var warnedAboutSize = false

    public init(url: String, logger: Logger) throws {
        _ = devicesRegistered
        self.url = url
        self.logger = logger
        if url.hasPrefix(Self.lavfiPrefix) {
            input = try InputContext(url: String(url.dropFirst(Self.lavfiPrefix.count)),
                                     format: av_find_input_format("lavfi"), name: url)
        } else {
            input = try InputContext(url: url, format: nil, name: url)
        }
        let context = input.pointer
        let probe = avformat_find_stream_info(context, nil)
        guard probe >= 0 else { throw MediaError.openFailed(path: url, message: MediaError.message(probe)) }

        var codec: UnsafePointer<AVCodec>?
        let found = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)
        guard found >= 0, let codec else { throw Self.missingVideo(context, url: url) }
        videoIndex = found
        let stream = input.stream(found)
        decoder = try CodecContext(codec: codec)
        let opened = Self.openDecoder(decoder.pointer, codec: codec, stream: stream)
        guard opened >= 0 else {
            throw MediaError.decodeFailed(path: url, code: opened, message: MediaError.message(opened))
        }

        let parameters = stream.pointee.codecpar.pointee
        width = Int(parameters.width) & ~1
        height = Int(parameters.height) & ~1
        guard width >= 2, height >= 2 else {
            throw MediaError.invalidSize(width: Int(parameters.width), height: Int(parameters.height),
                                         reason: "a video stream must be at least 2x2 pixels")
        }
        let guessed = Rational(av_guess_frame_rate(context, stream, nil))
        frameRate = guessed.isValid ? guessed : Rational(25, 1)
        timeBase = Rational(stream.pointee.time_base)
        ptsStep = max(1, av_rescale_q(1, AVRational(num: frameRate.denominator, den: frameRate.numerator),
                                      timeBase.av))
        estimatedFrameCount = Self.estimateFrames(context, stream: stream, rate: frameRate)

        let audio = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, found, nil, 0)
        if audio >= 0 {
            let audioStream = input.stream(audio)
            audioIndex = audio
            audioStreamParameters = AudioStreamParameters(copying: audioStream.pointee.codecpar,
                                                          timeBase: Rational(audioStream.pointee.time_base))
        } else {
            audioIndex = nil
            audioStreamParameters = nil
        }
        // Skip demuxing work for streams nobody reads.
        for index in 0..<Int32(context.pointee.nb_streams) where index != videoIndex && index != audioIndex {
            input.stream(index).pointee.discard = AVDISCARD_ALL
        }
        logger.debug("opened input", metadata: [
            "url": "\(url)", "size": "\(width)x\(height)", "rate": "\(frameRate)",
            "codec": "\(String(cString: codec.pointee.name))", "audio": "\(audioStreamParameters?.codecName ?? "none")",
        ])
    }

    /// The next decoded frame or audio packet in input order; nil once the input is exhausted and
    /// every buffered frame has been returned.
    public func next() throws -> MediaItem? {
        while state != .finished {
            if let video = try receiveFrame() { return .video(video) }
            if state == .finished { break }
            if state == .draining { continue }
            if let audio = try readPacket() { return .audio(audio) }
        }
        return nil
    }

    // MARK: - Decoding

    private func receiveFrame() throws -> VideoFrame? {
        let status = avcodec_receive_frame(decoder.pointer, frame.pointer)
        if status == backdrop_averror_eagain() && state == .reading { return nil }
        if status == backdrop_averror_eof() || status == backdrop_averror_eagain() {
            state = .finished
            if skippedCount > 0 { logger.warning("skipped \(skippedCount) undecodable packets or frames in \(url)") }
            return nil
        }
        if status < 0 {
            try skip("decoding a frame", status)
            return nil
        }
        defer { av_frame_unref(frame.pointer) }
        return try convertFrame()
    }

    /// Reads one packet: feeds video to the decoder, hands audio out, drops the rest.
    private func readPacket() throws -> EncodedPacket? {
        let status = av_read_frame(input.pointer, packet.pointer)
        if status == backdrop_averror_eagain() {
            usleep(1000)  // a non-blocking device had nothing yet
            return nil
        }
        if status < 0 {
            if status != backdrop_averror_eof() {
                let error = MediaError.decodeFailed(path: url, code: status, message: MediaError.message(status))
                logger.warning("input ended early: \(error)")
                readError = error
            }
            state = .draining
            _ = avcodec_send_packet(decoder.pointer, nil)  // flush: the decoder gives back what it holds
            return nil
        }
        defer { av_packet_unref(packet.pointer) }
        let index = packet.pointer.pointee.stream_index
        if index == audioIndex, let parameters = audioStreamParameters {
            return EncodedPacket(moving: packet.pointer, timeBase: parameters.timeBase)
        }
        if index == videoIndex {
            let sent = avcodec_send_packet(decoder.pointer, packet.pointer)
            if sent < 0 { try skip("decoding a packet", sent) }
        }
        return nil
    }

    /// A single bad packet or frame is logged and skipped; only running out of memory is fatal.
    private func skip(_ operation: String, _ status: Int32) throws {
        if status == backdrop_averror(ENOMEM) {
            throw MediaError.decodeFailed(path: url, code: status, message: MediaError.message(status))
        }
        skippedCount += 1
        let message = "\(operation) failed in \(url): \(MediaError.message(status)); skipped"
        if skippedCount <= 10 {
            logger.warning("\(message)\(skippedCount == 10 ? " (further ones are logged at debug level)" : "")")
        } else {
            logger.debug("\(message)")
        }
    }

    private func convertFrame() throws -> VideoFrame {
        let decoded = frame.pointer.pointee
        let sourceWidth = Int(decoded.width) & ~1, sourceHeight = Int(decoded.height) & ~1
        if (sourceWidth != width || sourceHeight != height) && !warnedAboutSize {
            warnedAboutSize = true
            logger.warning("\(url) changed size to \(decoded.width)x\(decoded.height); scaling frames to \(width)x\(height)")
        }
        guard sourceWidth >= 2, sourceHeight >= 2 else {
            throw MediaError.invalidSize(width: Int(decoded.width), height: Int(decoded.height),
                                         reason: "a decoded frame must be at least 2x2 pixels")
        }
        return try VideoFrame(avFrame: frame.pointer, sourceWidth: sourceWidth, sourceHeight: sourceHeight,
                              width: width, height: height, pts: nextPts(decoded.best_effort_timestamp),
                              timeBase: timeBase, converter: converter)
    }

    /// The frame's timestamp, or one made up one frame after the last when it is missing or
    /// would go backwards (downstream encoders and muxers need strictly increasing pts).
    private func nextPts(_ candidate: Int64) -> Int64 {
        var pts = candidate
        if pts == backdrop_av_nopts_value() || (lastPts.map { pts <= $0 } ?? false) {
            pts = lastPts.map { $0 + ptsStep } ?? 0
            if !warnedAboutPts && candidate != backdrop_av_nopts_value() {
                warnedAboutPts = true
                logger.warning("\(url) has non-increasing timestamps; replacing them")
            }
        }
        lastPts = pts
        return pts
    }

    // MARK: - Setup helpers

    private static func openDecoder(_ decoder: UnsafeMutablePointer<AVCodecContext>, codec: UnsafePointer<AVCodec>,
                                    stream: UnsafeMutablePointer<AVStream>) -> Int32 {
        let copied = avcodec_parameters_to_context(decoder, stream.pointee.codecpar)
        guard copied >= 0 else { return copied }
        decoder.pointee.pkt_timebase = stream.pointee.time_base
        decoder.pointee.thread_count = 0  // one per core
        return avcodec_open2(decoder, codec, nil)
    }

    private static func missingVideo(_ context: UnsafeMutablePointer<AVFormatContext>, url: String) -> MediaError {
        for index in 0..<Int(context.pointee.nb_streams) {
            let parameters = context.pointee.streams[index]!.pointee.codecpar.pointee
            if parameters.codec_type == AVMEDIA_TYPE_VIDEO {
                return .decoderMissing(path: url, codec: String(cString: avcodec_get_name(parameters.codec_id)))
            }
        }
        return .noVideoStream(path: url)
    }

    private static func estimateFrames(_ context: UnsafeMutablePointer<AVFormatContext>,
                                       stream: UnsafeMutablePointer<AVStream>, rate: Rational) -> Int? {
        let s = stream.pointee
        if s.nb_frames > 0 { return Int(s.nb_frames) }
        var seconds: Double?
        if s.duration != backdrop_av_nopts_value() && s.duration > 0 {
            seconds = Double(s.duration) * Rational(s.time_base).doubleValue
        } else if context.pointee.duration != backdrop_av_nopts_value() && context.pointee.duration > 0 {
            seconds = Double(context.pointee.duration) / Double(backdrop_av_time_base())
        }
        return seconds.map { Int(($0 * rate.doubleValue).rounded()) }
    }
}
