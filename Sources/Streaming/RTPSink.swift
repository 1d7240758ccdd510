import BackdropCore
import CFFmpeg
import Foundation
import Logging
import Media

/// Sends frames as an H.264 (libx264, zerolatency) or VP9 RTP stream to `rtp://HOST:PORT`, or
/// encrypted to `srtp://HOST:PORT?key=FILE`, and writes the SDP a receiver (ffplay, VLC,
/// `backdrop receive`) opens.
///
/// Every frame is encoded and its packets sent before `write` returns: nothing is queued, so the
/// added latency is one encode. Network errors (nobody listening yet: ICMP port unreachable comes
/// back as ECONNREFUSED on a later send) cost only the packets that failed; they are logged at most
/// every few seconds and sending goes on, so a receiver that starts later gets the stream from the
/// next keyframe.
public final class RTPSink: FrameSink {
    /// The address as the user wrote it (a key file path, never a key, appears in it).
    public let name: String
    public let frameRate: Rational
    public let options: RTPStreamOptions
    public let sdpPath: String?
    /// The session description, once the stream is open; also written to `sdpPath`.
    public var sdp: String? { stream?.sdp }
    /// The stream's size, once open; later frames of another size are scaled to it.
    public var size: (width: Int, height: Int)? { stream.map { ($0.width, $0.height) } }
    public private(set) var framesWritten = 0
    /// Sends that failed (each drops the rest of its frame's packets).
    public var sendErrors: Int { stream?.sendErrors ?? 0 }

    private let url: String
    private let key: SRTPKey?
    private let logger: Logger
    private var stream: RTPStream?
    private lazy var scaler = PixelScaler(filter: .bilinear)
    private var warnedAboutSize = false
    private var finished = false

    /// Checks the address, its options and key file; the stream opens with the first frame, at
    /// its size rounded down to even (yuv420p encoders need even sizes).
    public init(address: SinkAddress, frameRate: Rational = Rational(30, 1), sdpPath: String? = nil, logger: Logger) throws {
        let host: String, port: Int, secure: Bool, query: [String: String]
        switch address {
        case let .rtp(h, p, o): (host, port, secure, query) = (h, p, false, o)
        case let .srtp(h, p, o): (host, port, secure, query) = (h, p, true, o)
        default: throw StreamingError.notAnRTPAddress(address.description)
        }
        guard frameRate.isValid else {
            throw StreamingError.invalidOption(name: "frame rate", value: "\(frameRate)", expected: "a positive rate such as 30/1")
        }
        let options = try RTPStreamOptions(query: query, secure: secure)
        let encoderName = options.codec == .h264 ? "libx264" : "libvpx-vp9"
        guard avcodec_find_encoder_by_name(encoderName) != nil else { throw StreamingError.encoderMissing(name: encoderName) }
        key = try options.keyFile.map { path throws(StreamingError) in try SRTPKey(contentsOf: path) }
        if let key, key.readableByOthers, let path = options.keyFile {
            logger.warning("SRTP key file \(path) is readable by other users; chmod 600 it")
        }
        self.name = address.description
        self.frameRate = frameRate
        self.options = options
        self.sdpPath = sdpPath
        self.logger = logger
        let hostText = host.contains(":") ? "[\(host)]" : host
        // connect=1: the kernel reports ICMP port unreachable as ECONNREFUSED, so "nobody is
        // listening" shows in the log instead of packets vanishing silently.
        url = "\(secure ? "srtp" : "rtp")://\(hostText):\(port)?connect=1&pkt_size=\(options.packetSize)"
    }

    /// Opens the stream at once (and writes the SDP, mode 0600 for SRTP since it holds the key),
    /// so receivers can start before the first frame.
    public convenience init(address: SinkAddress, width: Int, height: Int, frameRate: Rational = Rational(30, 1),
                            sdpPath: String? = nil, logger: Logger) throws {
        try self.init(address: address, frameRate: frameRate, sdpPath: sdpPath, logger: logger)
        try open(width: width, height: height)
    }

    /// Encodes `frame` and sends its packets before returning.
    public func write(_ frame: VideoFrame) throws {
        guard !finished else { throw StreamingError.finished(name: name) }
        if stream == nil { try open(width: frame.width & ~1, height: frame.height & ~1) }
        guard let stream else { return }
        var picture = frame
        if frame.width != stream.width || frame.height != stream.height {
            if !warnedAboutSize {
                warnedAboutSize = true
                let sizes = "frames are \(frame.width)x\(frame.height), the stream \(stream.width)x\(stream.height)"
                logger.warning("\(name): \(sizes); scaling them")
            }
            picture = try scaler.resize(frame, width: stream.width, height: stream.height)
        }
        try stream.send(picture)
        framesWritten += 1
    }

    /// Flushes the encoder and ends the session (RTCP BYE). Calling it again does nothing.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try stream?.finish()
        logger.debug("\(name) finished: \(framesWritten) frames, \(sendErrors) failed sends")
    }

    private func open(width: Int, height: Int) throws {
        guard width >= 2, height >= 2, width <= 8192, height <= 8192, width % 2 == 0, height % 2 == 0 else {
            throw MediaError.invalidSize(width: width, height: height, reason: "an RTP stream needs even sizes in 2...8192")
        }
        let stream = try RTPStream(url: url, name: name, options: options, key: key, width: width, height: height,
                                   frameRate: frameRate, logger: logger)
        if let sdpPath { try Self.writeSDP(stream.sdp, to: sdpPath, secret: key != nil) }
        self.stream = stream
        let sdpNote = sdpPath.map { "; SDP in \($0)" } ?? ""
        logger.info("sending \(options.codec.rawValue) \(width)x\(height) at \(frameRate.doubleValue) fps to \(name)\(sdpNote)")
    }

    /// Writes via a temporary file and rename, so a receiver polling for it never reads half.
    package static func writeSDP(_ text: String, to path: String, secret: Bool) throws(StreamingError) {
        let temporary = path + ".tmp-\(getpid())"
        // A fresh file, never one left over or planted (a symlink, another mode, another owner):
        // an SRTP stream's SDP holds its key.
        unlink(temporary)
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, secret ? 0o600 : 0o644)
        guard fd >= 0 else { throw .sdpFailed(path: path, reason: String(cString: strerror(errno))) }
        if secret && fchmod(fd, 0o600) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw .sdpFailed(path: path, reason: reason)
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let failure = written == bytes.count ? nil : String(cString: strerror(errno))
        close(fd)
        if let failure {
            unlink(temporary)
            throw .sdpFailed(path: path, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .sdpFailed(path: path, reason: reason)
        }
    }
}
