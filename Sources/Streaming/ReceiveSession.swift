import BackdropCore
import CFFmpeg
import Foundation

/// One opened SDP demuxer: its sockets and the video stream to read. FFmpeg's SDP demuxer
/// reports end-of-file for good once an RTCP BYE arrives (or anything that parses as one), so a
/// receiver that keeps listening opens a new session.
final class ReceiveSession {
    let input: UnsafeMutablePointer<AVFormatContext>
    let videoIndex: Int32
    let timeBase: Rational
    let codecID: AVCodecID
    /// Kept alive as long as `input`, whose interrupt callback points at it.
    private let deadline: ReadDeadline

    init(sdpPath: String, name: String, options: RTPReceiver.Options, deadline: ReadDeadline) throws(StreamingError) {
        _ = networkReady
        self.deadline = deadline
        var context: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        guard let allocated = context else {
            throw .inputFailed(input: name, code: backdrop_averror(ENOMEM), message: "out of memory")
        }
        allocated.pointee.interrupt_callback = deadline.callback
        var dictionary = OptionDictionary([
            ("protocol_whitelist", "file,udp,rtp,srtp,crypto"),
            ("reorder_queue_size", "\(options.reorderQueueSize)"),
            ("max_delay", "\(Int(options.maxDelay * 1e6))"),
            ("buffer_size", "\(options.receiveBufferSize)"),
        ])
        defer { dictionary.free() }
        // Opening only parses the SDP and binds sockets; no packet is awaited (no stream probing),
        // so a receiver can start before its sender.
        deadline.deadline = MonotonicClock.now() + 5
        let status = avformat_open_input(&context, sdpPath, av_find_input_format("sdp"), &dictionary.pointer)
        deadline.deadline = .infinity
        guard status >= 0, let context else {
            // FFmpeg reports a taken port as "invalid data"; say what it really is.
            if let port = Self.videoPort(sdpPath: sdpPath), Self.isPortTaken(port) {
                throw .inputFailed(input: name, code: backdrop_averror(EADDRINUSE),
                                   message: "UDP port \(port) is already in use (Address already in use: is another receiver running?)")
            }
            throw .inputFailed(input: name, code: status, message: StreamingError.message(status))
        }
        input = context
        do {
            videoIndex = try Self.videoStream(context, name: name)
        } catch {
            var closing: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&closing)
            throw error
        }
        let stream = context.pointee.streams[Int(videoIndex)]!
        timeBase = Rational(stream.pointee.time_base.num, stream.pointee.time_base.den)
        codecID = stream.pointee.codecpar.pointee.codec_id
    }

    deinit {
        var closing: UnsafeMutablePointer<AVFormatContext>? = input
        avformat_close_input(&closing)
    }

    /// The port of the SDP's video media line, if it has one.
    static func videoPort(sdpPath: String) -> Int? {
        guard let text = try? String(contentsOfFile: sdpPath, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("m=video ") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }

    /// Whether binding UDP `port` on all addresses fails because something holds it.
    static func isPortTaken(_ port: Int) -> Bool {
        guard (1...65535).contains(port) else { return false }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return status != 0 && errno == EADDRINUSE
    }

    /// A decoder for the video stream, one-threaded: frame threads add a frame of delay each, and
    /// slice threads switch off the H.264 decoder's error concealment, and with it the damage
    /// flags the receiver relies on.
    func makeDecoder(name: String) throws(StreamingError) -> CodecContext {
        guard let codec = avcodec_find_decoder(codecID) else {
            throw .noVideoStream(input: name, reason: "no decoder for \(String(cString: avcodec_get_name(codecID)))")
        }
        let decoder = try CodecContext(codec: codec)
        let stream = input.pointee.streams[Int(videoIndex)]!
        var status = avcodec_parameters_to_context(decoder.pointer, stream.pointee.codecpar)
        decoder.pointer.pointee.pkt_timebase = stream.pointee.time_base
        decoder.pointer.pointee.thread_count = 1
        if status >= 0 { status = avcodec_open2(decoder.pointer, codec, nil) }
        guard status >= 0 else {
            throw .inputFailed(input: name, code: status, message: StreamingError.message(status))
        }
        return decoder
    }

    /// The first H.264 or VP9 stream; every other stream is discarded.
    private static func videoStream(_ context: UnsafeMutablePointer<AVFormatContext>, name: String) throws(StreamingError) -> Int32 {
        var index: Int32 = -1
        var unsupported: [String] = []
        for i in 0..<Int32(context.pointee.nb_streams) {
            let stream = context.pointee.streams[Int(i)]!
            let parameters = stream.pointee.codecpar.pointee
            if parameters.codec_type == AVMEDIA_TYPE_VIDEO && index < 0
                && (parameters.codec_id == AV_CODEC_ID_H264 || parameters.codec_id == AV_CODEC_ID_VP9) {
                index = i
                continue
            }
            if parameters.codec_type == AVMEDIA_TYPE_VIDEO {
                unsupported.append(String(cString: avcodec_get_name(parameters.codec_id)))
            }
            stream.pointee.discard = AVDISCARD_ALL
        }
        guard index >= 0 else {
            throw .noVideoStream(input: name, reason: unsupported.isEmpty
                ? "no video media line" : "video codec \(unsupported.joined(separator: ", "))")
        }
        return index
    }
}

/// Sockets need FFmpeg's network layer set up once per process.
private let networkReady: Void = { _ = avformat_network_init() }()
