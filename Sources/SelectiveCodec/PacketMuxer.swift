import BackdropCore
import CFFmpeg
import Foundation
import Logging
import Streaming

/// Where a selective stream goes: an MP4/MKV file, or RTP (H.264 payload, RFC 6184), SRTP when
/// given a key, to a host and port, whose SDP it can write. Owns the muxer and its output.
final class PacketMuxer {
    enum Destination: Equatable {
        case file(path: String)
        case rtp(host: String, port: Int, sdpPath: String?, encryption: SRTPEncryption?)
    }

    /// The 90 kHz RTP clock.
    static let rtpClock = Rational(1, 90000)

    let name: String
    let destination: Destination
    /// The session description (RTP only).
    private(set) var sdp: String?
    /// Packets whose sending failed (RTP: nobody listening yet); never fatal.
    private(set) var sendErrors = 0
    private let context: UnsafeMutablePointer<AVFormatContext>
    private let stream: UnsafeMutablePointer<AVStream>
    private let logger: Logger
    private var lastErrorLog = -Double.infinity
    private var finished = false

    init(destination: Destination, encoder: H264Encoder, frameRate: Rational, packetSize: Int,
         logger: Logger) throws(SelectiveCodecError) {
        self.destination = destination
        self.logger = logger
        let muxer: String, url: String
        switch destination {
        case let .file(path):
            let lower = path.lowercased()
            if lower.hasSuffix(".mp4") || lower.hasSuffix(".mov") {
                muxer = "mp4"
            } else if lower.hasSuffix(".mkv") {
                muxer = "matroska"
            } else {
                throw .unsupportedOutput(path: path)
            }
            url = path
            name = path
        case let .rtp(host, port, _, encryption):
            muxer = "rtp"
            let hostText = host.contains(":") ? "[\(host)]" : host
            let scheme = encryption == nil ? "rtp" : "srtp"
            // connect=1: ICMP port unreachable comes back as ECONNREFUSED instead of silence.
            url = "\(scheme)://\(hostText):\(port)?connect=1&pkt_size=\(packetSize)"
            name = "selective:\(scheme)://\(hostText):\(port)"
        }
        var allocated: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_alloc_output_context2(&allocated, nil, muxer, url)
        guard status >= 0, let allocated else { throw .ffmpeg("creating a \(muxer) muxer for '\(url)'", status) }
        context = allocated
        guard let stream = avformat_new_stream(context, nil) else {
            avformat_free_context(context)
            throw .ffmpeg("adding a video stream", backdrop_averror(ENOMEM))
        }
        self.stream = stream
        // Every stored property is set: a throw from here on runs deinit, which frees the
        // context and closes the output (freeing them here too would be a double free).
        let copied = avcodec_parameters_from_context(stream.pointee.codecpar, encoder.codecContext)
        guard copied >= 0 else { throw .ffmpeg("configuring the video stream", copied) }
        stream.pointee.time_base = encoder.timeBase.av
        stream.pointee.avg_frame_rate = frameRate.av
        if case .rtp = destination { context.pointee.packet_size = UInt32(packetSize) }
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            var io = OptionList()
            defer { io.free() }
            if case let .rtp(_, _, _, encryption?) = destination {
                io.set("srtp_out_suite", encryption.suite)
                io.set("srtp_out_params", encryption.key.base64)
            }
            let opened = avio_open2(&context.pointee.pb, url, AVIO_FLAG_WRITE, nil, &io.pointer)
            guard opened >= 0 else { throw .ffmpeg("opening '\(name)' for writing", opened) }
        }
        var options = OptionList()
        defer { options.free() }
        if muxer == "mp4" { options.set("movflags", "+faststart") }
        let header = avformat_write_header(context, &options.pointer)
        guard header >= 0 else { throw .ffmpeg("writing the header of '\(name)'", header) }
        if case let .rtp(_, _, sdpPath, encryption) = destination {
            context.pointee.pb.pointee.error = 0  // a refused port while writing the header is not fatal
            var text = try Self.sessionDescription(context)
            if encryption != nil {
                // FFmpeg writes the a=crypto line but keeps RTP/AVP; SDES keys belong to RTP/SAVP (RFC 4568).
                text = text.replacingOccurrences(of: " RTP/AVP ", with: " RTP/SAVP ")
            }
            sdp = text
            if let sdpPath {
                // An SRTP stream's SDP holds its key: readable by the owner only.
                do {
                    try RTPSink.writeSDP(text, to: sdpPath, secret: encryption != nil)
                } catch {
                    throw .ffmpeg(operation: "writing the SDP", code: backdrop_averror(EIO), message: "\(error)")
                }
            }
        }
    }

    deinit {
        closeOutput()
        avformat_free_context(context)
    }

    private func closeOutput() {
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0, context.pointee.pb != nil {
            avio_closep(&context.pointee.pb)
        }
    }

    /// Writes a packet in `timeBase` units (its contents are taken).
    func write(_ packet: UnsafeMutablePointer<AVPacket>, timeBase: Rational) throws(SelectiveCodecError) {
        guard !finished else { throw .finished(name: name) }
        av_packet_rescale_ts(packet, timeBase.av, stream.pointee.time_base)
        packet.pointee.stream_index = stream.pointee.index
        let written: Int32
        if case .rtp = destination {
            written = av_write_frame(context, packet)
        } else {
            written = av_interleaved_write_frame(context, packet)
        }
        guard written < 0 else { return }
        if case .rtp = destination, let io = context.pointee.pb, io.pointee.error < 0 {
            // A socket error sticks in the AVIOContext and drops every later write: clear it, go on.
            io.pointee.error = 0
            sendErrors += 1
            let now = MonotonicClock.now()
            if now - lastErrorLog > 5 {
                lastErrorLog = now
                let hint = written == backdrop_averror(ECONNREFUSED) ? " (nobody is listening yet?)" : ""
                logger.warning("\(name): sending failed: \(SelectiveCodecError.message(written))\(hint); dropping packets and going on")
            }
            return
        }
        throw .ffmpeg("writing to '\(name)'", written)
    }

    /// Writes the trailer and closes the output. Idempotent.
    func finish() throws(SelectiveCodecError) {
        guard !finished else { return }
        finished = true
        defer { closeOutput() }
        let status = av_write_trailer(context)
        if status < 0 {
            if case .rtp = destination { return }  // the RTCP BYE may meet a closed port
            throw .ffmpeg("finishing '\(name)'", status)
        }
    }

    private static func sessionDescription(_ context: UnsafeMutablePointer<AVFormatContext>) throws(SelectiveCodecError) -> String {
        var contexts: [UnsafeMutablePointer<AVFormatContext>?] = [context]
        var buffer = [CChar](repeating: 0, count: 16384)
        let status = av_sdp_create(&contexts, 1, &buffer, Int32(buffer.count))
        guard status >= 0 else { throw .ffmpeg("creating the SDP", status) }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
