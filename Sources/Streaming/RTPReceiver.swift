import BackdropCore
import CFFmpeg
import Media
import Foundation
import Logging

/// Receives an RTP or SRTP video stream (H.264 or VP9) described by an SDP file — or by
/// `rtp://HOST:PORT[?codec=h264|vp9]`, `srtp://HOST:PORT?key=FILE[&codec=…]` — and decodes it.
///
/// Built for lossy networks: reordered packets are put back in order (a small queue, a short
/// wait), pictures the decoder reports as damaged are dropped, and so is everything after them
/// until the next keyframe (or the end of the next intra-refresh cycle), so a lost packet costs
/// at most the frames up to the next keyframe and never shows garbage. It never blocks for long: when no
/// packet arrives for `silenceTimeout`, `next()` returns `.unavailable` and keeps listening.
public final class RTPReceiver: FrameSource {
    /// Tuning for loss, reordering and silence.
    public struct Options: Sendable {
        /// Seconds without packets before `next()` reports the sender unavailable.
        public var silenceTimeout = 2.0
        /// Packets held back to restore order.
        public var reorderQueueSize = 64
        /// Seconds to wait for a missing packet before giving up on it.
        public var maxDelay = 0.05
        /// End the stream (`next()` returns nil) when the sender says goodbye (RTCP BYE) instead
        /// of waiting for it to start again.
        public var endAtBye = false
        /// Socket receive buffer: a 720p keyframe arrives as a burst of ~100 packets.
        public var receiveBufferSize = 4 << 20

        public init() {}
    }

    /// What happened so far, for logs and tests.
    public struct Statistics: Sendable, Equatable {
        public var framesDelivered = 0
        /// Decoded pictures withheld because they were damaged or depended on damaged ones.
        public var framesDropped = 0
        /// Packets or frames the decoder refused.
        public var decodeErrors = 0
        /// Times `silenceTimeout` passed without a packet.
        public var silences = 0
    }

    public let name: String
    public let isLive = true
    /// Trigger it (from any thread) to make a blocked `next()` return nil.
    public let interruption: Interruption
    public private(set) var statistics = Statistics()
    /// The decoder for the codec on the wire, e.g. "h264".
    public private(set) var codecName: String

    /// Seconds of silence after a BYE before the stream counts as ended: anything that parses
    /// as a BYE (a stray or forged packet) ends FFmpeg's demuxer, not necessarily the stream.
    static let byeGrace = 0.5

    private var session: ReceiveSession?
    private var decoder: CodecContext
    private let sdpPath: String
    private let temporarySDP: Bool
    private let deadline: ReadDeadline
    private let packet = Packet()
    private let decoded = Frame()
    private let converter = DecodedPictureConverter()
    /// The SEI user-data-unregistered payloads of the frame `next()` returned last (a selective
    /// stream carries its mask and scene there); empty for plain video.
    public private(set) var lastSideData: [[UInt8]] = []
    private let options: Options
    private let logger: Logger
    /// Frames are withheld until a keyframe, or until `recoveryCountdown` reaches zero.
    private var damaged = false
    private var droppedInEpisode = 0
    /// While damaged: frames still to decode until an intra refresh has repainted everything.
    private var recoveryCountdown: Int?
    /// The session's demuxer has reached its end; the next read needs fresh sockets.
    private var reopen = false
    /// Packets read since the start or the last end of the stream.
    private var packetsSinceEnd = 0
    /// A BYE came; the stream ends unless packets arrive within `byeGrace`.
    private var byePending = false
    /// The stream ended: the decoder is handing back what it holds.
    private var draining = false
    /// Draining is over: end, or listen afresh.
    private var ended = false
    private var silent = false
    private var lastPts: Int64?
    private var ptsOffset: Int64 = 0
    private var frameStep: Int64 = 3000
    private var errorThrottle = LogThrottle()
    private var warnedAboutSize = false

    public init(input: String, options: Options = Options(), interruption: Interruption = Interruption(),
                logger: Logger) throws {
        self.name = input
        self.options = options
        self.logger = logger
        self.interruption = interruption
        deadline = ReadDeadline(interruption: interruption)
        if input.hasPrefix("rtp://") || input.hasPrefix("srtp://") {
            sdpPath = try Self.writeTemporarySDP(for: input)
            temporarySDP = true
        } else {
            guard FileManager.default.isReadableFile(atPath: input) else {
                throw StreamingError.inputFailed(input: input, code: backdrop_averror(ENOENT),
                                                 message: "no readable SDP file there")
            }
            sdpPath = input
            temporarySDP = false
        }
        do {
            let session = try ReceiveSession(sdpPath: sdpPath, name: input, options: options, deadline: deadline)
            decoder = try session.makeDecoder(name: input)
            self.session = session
        } catch {
            if temporarySDP { unlink(sdpPath) }
            throw error
        }
        codecName = String(cString: decoder.pointer.pointee.codec.pointee.name)
        logger.info("receiving \(codecName) from \(input)")
    }

    deinit {
        close()
    }

    public func close() {
        guard session != nil else { return }
        session = nil
        if temporarySDP { unlink(sdpPath) }
    }

    /// The next decoded, undamaged frame; `.unavailable` after `silenceTimeout` without packets
    /// or after the sender's BYE; nil once closed or interrupted (or at a BYE with `endAtBye`).
    public func next() throws -> SourceEvent? {
        while true {
            if reopen {
                // Release the old sockets before binding the same ports again.
                reopen = false
                session = nil
                session = try ReceiveSession(sdpPath: sdpPath, name: name, options: options, deadline: deadline)
                // Whatever comes next may refer to pictures sent while no socket was open.
                if statistics.framesDelivered > 0 && !damaged {
                    damaged = true
                    droppedInEpisode = 0
                    logger.debug("\(name): listening on fresh sockets; waiting for a keyframe")
                }
            }
            guard let session else { return nil }
            if interruption.isTriggered {
                close()
                return nil
            }
            if let frame = try receiveFrame() { return .frame(frame) }
            if ended {
                ended = false
                if options.endAtBye {
                    close()
                    return nil
                }
                logger.info("\(name): the sender ended the stream; listening for it to start again")
                return .unavailable(reason: "the sender ended the stream")
            }
            if draining { continue }
            deadline.deadline = MonotonicClock.now() + (byePending ? Self.byeGrace : options.silenceTimeout)
            let status = av_read_frame(session.input, packet.pointer)
            deadline.deadline = .infinity
            if status >= 0 {
                if silent || byePending {
                    logger.info("\(name): packets are arriving\(byePending ? " after a BYE; carrying on" : " again")")
                    silent = false
                    byePending = false
                }
                packetsSinceEnd += 1
                feed(packet.pointer, stream: session.videoIndex, timeBase: session.timeBase)
                continue
            }
            if let event = try handleReadFailure(status) { return event }
        }
    }

    // MARK: - Reading

    /// nil to carry on reading; an event to hand out.
    private func handleReadFailure(_ status: Int32) throws -> SourceEvent? {
        if interruption.isTriggered { return nil }  // next() closes at the top of its loop
        let timedOut = status == backdrop_averror_exit() || status == backdrop_averror(ETIMEDOUT)
            || status == backdrop_averror_eagain()
        if timedOut && byePending {
            // Quiet since the BYE: the stream has ended. Take what the decoder still holds.
            byePending = false
            _ = avcodec_send_packet(decoder.pointer, nil)
            draining = true
            return nil
        }
        if timedOut {
            // Listen on fresh sockets: FFmpeg's RTP parser can be stuck dropping every packet as
            // "too late" after a stray packet or a restarted sender moved its sequence number.
            reopen = true
            statistics.silences += 1
            let reason = "no packets from \(name) for \(options.silenceTimeout) s"
            if !silent {
                silent = true
                logger.warning("\(name): \(reason); still listening")
            } else {
                logger.debug("\(name): \(reason)")
            }
            return .unavailable(reason: reason)
        }
        if status == backdrop_averror_eof() {
            // A BYE, or something that parsed as one. FFmpeg's demuxer stays at its end from now
            // on: listen on fresh sockets, keeping the decoder, and see whether packets follow.
            reopen = true
            // A BYE before any packet cannot end a stream that never started (stray packets).
            byePending = packetsSinceEnd > 0
            logger.debug("\(name): RTCP BYE received\(byePending ? "" : " before any packet; ignored")")
            return nil
        }
        if status == backdrop_averror(ENOMEM) {
            throw StreamingError.inputFailed(input: name, code: status, message: StreamingError.message(status))
        }
        // A socket hiccup or a packet the demuxer could not parse: note it and go on reading,
        // pausing briefly so a persistent failure cannot spin the CPU.
        noteError("reading a packet", status)
        usleep(10_000)
        return nil
    }

    private func feed(_ packet: UnsafeMutablePointer<AVPacket>, stream: Int32, timeBase: Rational) {
        defer { av_packet_unref(packet) }
        guard packet.pointee.stream_index == stream else { return }
        // The decoder outlives sessions: keep its packet time base in step with this one's.
        decoder.pointer.pointee.pkt_timebase = timeBase.av
        if damaged && recoveryCountdown == nil && decoder.pointer.pointee.codec_id == AV_CODEC_ID_H264,
           let data = packet.pointee.data {
            let marks = H264RecoveryPoint.marks(in: UnsafeBufferPointer(start: data, count: Int(packet.pointee.size)))
            // Counted in decoded frames; a decoder that reorders outputs its frames that much later.
            if let count = marks.recoveryFrameCount { recoveryCountdown = count + Int(decoder.pointer.pointee.has_b_frames) }
        }
        let status = avcodec_send_packet(decoder.pointer, packet)
        if status < 0 {
            if status == backdrop_averror_eagain() { return }  // cannot happen: frames are drained first
            noteError("decoding a packet", status)
            markDamaged()
        }
    }

    /// The next decoded frame worth handing out, if the decoder has one ready.
    private func receiveFrame() throws -> VideoFrame? {
        let frame = decoded.pointer
        while true {
            let status = avcodec_receive_frame(decoder.pointer, frame)
            if status == backdrop_averror_eof() || (draining && status == backdrop_averror_eagain()) {
                avcodec_flush_buffers(decoder.pointer)  // ready for the next stream
                draining = false
                ended = true
                packetsSinceEnd = 0
                return nil
            }
            if status == backdrop_averror_eagain() { return nil }
            if status < 0 {
                noteError("decoding a frame", status)
                markDamaged()
                return nil
            }
            defer { av_frame_unref(frame) }
            guard accept(frame) else { continue }
            lastSideData = DecodedPictureConverter.unregisteredSEI(frame)
            let timeBase = Rational(decoder.pointer.pointee.pkt_timebase.num, decoder.pointer.pointee.pkt_timebase.den)
            let video = try converter.videoFrame(from: frame, pts: nextPts(frame.pointee.best_effort_timestamp, timeBase),
                                                 timeBase: timeBase)
            if converter.rescaled && !warnedAboutSize {
                warnedAboutSize = true
                let size = "\(frame.pointee.width)x\(frame.pointee.height)"
                logger.warning("\(name): the stream changed size to \(size); scaling to \(converter.width)x\(converter.height)")
            }
            statistics.framesDelivered += 1
            return video
        }
    }

    /// Damaged pictures, and everything after one until a keyframe, are withheld.
    private func accept(_ frame: UnsafeMutablePointer<AVFrame>) -> Bool {
        let f = frame.pointee
        if f.decode_error_flags != 0 || f.flags & backdrop_av_frame_flag_corrupt() != 0 {
            markDamaged()
            recoveryCountdown = nil  // a recovery under way is spoilt too
        } else if damaged && f.key_frame != 0 {
            recovered(at: "a keyframe")
        } else if damaged, let countdown = recoveryCountdown {
            if countdown == 0 {
                recovered(at: "the end of an intra refresh")
            } else {
                recoveryCountdown = countdown - 1
            }
        }
        if damaged {
            statistics.framesDropped += 1
            droppedInEpisode += 1
            return false
        }
        return true
    }

    private func recovered(at point: String) {
        damaged = false
        recoveryCountdown = nil
        logger.info("\(name): recovered at \(point) after dropping \(droppedInEpisode) frames")
    }

    private func markDamaged() {
        guard !damaged else { return }
        damaged = true
        droppedInEpisode = 0
        logger.info("\(name): data lost; dropping frames until the next keyframe")
    }

    private func noteError(_ operation: String, _ status: Int32) {
        statistics.decodeErrors += 1
        let (log, held) = errorThrottle.admit()
        guard log else { return }
        let more = held > 0 ? " (\(held) more since the last message)" : ""
        logger.warning("\(name): \(operation) failed: \(StreamingError.message(status)); skipped\(more)")
    }

    /// Timestamps that always increase: a sender that restarts (its RTP clock jumps anywhere)
    /// or a missing timestamp continues the timeline one frame after the last.
    private func nextPts(_ candidate: Int64, _ timeBase: Rational) -> Int64 {
        guard candidate != backdrop_av_nopts_value() else {
            let pts = (lastPts ?? -frameStep) + frameStep
            lastPts = pts
            return pts
        }
        var pts = candidate + ptsOffset
        if let last = lastPts {
            let jump = pts - last
            if jump <= 0 || jump > 10 * Int64(timeBase.denominator) / Int64(max(1, timeBase.numerator)) {
                ptsOffset += last + frameStep - pts
                pts = last + frameStep
            } else {
                frameStep = jump
            }
        }
        lastPts = pts
        return pts
    }

    // MARK: - Setup

    /// An SDP equivalent to an `rtp://` or `srtp://` URL (RTP needs one to know a dynamic payload
    /// type's codec), written to a private temporary file.
    package static func writeTemporarySDP(for url: String) throws -> String {
        guard let address = try? SinkAddress(parsing: url) else { throw StreamingError.notAnRTPAddress(url) }
        let host: String, port: Int, query: [String: String], secure: Bool
        switch address {
        case let .rtp(h, p, q): (host, port, query, secure) = (h, p, q, false)
        case let .srtp(h, p, q): (host, port, query, secure) = (h, p, q, true)
        default: throw StreamingError.notAnRTPAddress(url)
        }
        // The receiving side reads codec, key and suite; sender options are accepted and ignored.
        let options = try RTPStreamOptions(query: query, secure: secure)
        let family = host.contains(":") ? "IP6" : "IP4"
        var lines = ["v=0", "o=- 0 0 IN \(family) \(host)", "s=Backdrop", "c=IN \(family) \(host)", "t=0 0",
                     "m=video \(port) RTP/\(secure ? "SAVP" : "AVP") 96"]
        switch options.codec {
        case .h264: lines += ["a=rtpmap:96 H264/90000", "a=fmtp:96 packetization-mode=1"]
        case .vp9: lines += ["a=rtpmap:96 VP9/90000"]
        }
        if let keyFile = options.keyFile {
            let key = try SRTPKey(contentsOf: keyFile)
            lines.append("a=crypto:1 \(options.srtpSuite) inline:\(key.base64)")
        }
        let path = NSTemporaryDirectory() + "backdrop-\(getpid())-\(UUID().uuidString).sdp"
        try RTPSink.writeSDP(lines.joined(separator: "\r\n") + "\r\n", to: path, secret: true)
        return path
    }
}
