import BackdropCore
import Logging
import Streaming

/// `selective:rtp://HOST:PORT[?options]`, `selective:srtp://HOST:PORT?key=FILE[&suite=…][&options]`
/// and `selective:FILE.mp4|.mkv[?options]`: the selective
/// stream as a pipeline sink. The encoder opens with the first frame (it takes its size); the
/// room's scene is analysed on its own thread, as suits a live pipeline.
///
/// Fed through `write(frame:mask:)` it sends the person, the mask and the scene. A composited
/// frame given to `write(_:)` (a pipeline that does not know masked sinks, or a fail-closed
/// background-only frame) is sent whole with an all-person mask: correct, just not smaller.
public final class SelectiveSink: MaskedFrameSink, ByteCountingSink {
    public let name: String
    private let destination: SelectiveEncoder.Destination
    private let frameRate: Rational
    private let options: SelectiveEncoderOptions
    private let scene: (any SceneProvider)?
    private let logger: Logger
    private var encoder: SelectiveEncoder?
    private var warnedAboutComposites = false

    /// `address` must be `.selective(.rtp(…))`, `.selective(.srtp(…))` or `.selective(.file(…))`;
    /// `sdpPath` is where an RTP stream's SDP goes.
    public init(address: SinkAddress, frameRate: Rational, sdpPath: String? = nil, base: SelectiveEncoderOptions = SelectiveEncoderOptions(),
                scene: (any SceneProvider)? = nil, logger: Logger) throws {
        guard case let .selective(inner) = address else {
            throw SelectiveCodecError.invalidOption(name: "sink", value: address.description, expected: "selective:rtp://HOST:PORT or selective:FILE")
        }
        var options: SelectiveEncoderOptions
        switch inner {
        case let .rtp(host, port, query):
            options = try SelectiveEncoderOptions(query: query, frameRate: frameRate, base: base)
            options.live = true
            destination = .rtp(host: host, port: port, sdpPath: sdpPath)
        case let .srtp(host, port, query):
            var query = query
            let keyPath = query.removeValue(forKey: "key") ?? ""
            let suite = query.removeValue(forKey: "suite") ?? RTPStreamOptions.srtpSuites[0]
            let key = try SRTPKey(contentsOf: keyPath)
            if key.readableByOthers { logger.warning("SRTP key file \(keyPath) is readable by other users; chmod 600 it") }
            options = try SelectiveEncoderOptions(query: query, frameRate: frameRate, base: base)
            options.live = true
            destination = .rtp(host: host, port: port, sdpPath: sdpPath, encryption: try SRTPEncryption(key: key, suite: suite))
        case let .file(path):
            let (file, query) = Self.splitQuery(path)
            options = try SelectiveEncoderOptions(query: query, frameRate: frameRate, base: base)
            let lower = file.lowercased()
            guard lower.hasSuffix(".mp4") || lower.hasSuffix(".mkv") || lower.hasSuffix(".mov") else {
                throw SelectiveCodecError.unsupportedOutput(path: file)
            }
            destination = .file(path: file)
        default:
            throw SelectiveCodecError.invalidOption(name: "sink", value: address.description,
                                                    expected: "selective:rtp://HOST:PORT, selective:srtp://HOST:PORT?key=FILE or selective:FILE (.mp4, .mkv)")
        }
        name = address.description
        self.frameRate = frameRate
        self.options = options
        self.scene = scene
        self.logger = logger
    }

    /// The session description once the first frame opened the RTP stream.
    public var sdp: String? { encoder?.sdp }
    public var stats: SelectiveEncoderStats? { encoder?.stats }

    public var bytesSent: [String: Int] {
        let bytes = encoder?.bytes ?? StreamBytes()
        return ["picture": bytes.picture, "mask": bytes.mask, "scene": bytes.scene]
    }

    public func write(frame: VideoFrame, mask: Mask) throws {
        try encoderFor(frame).encode(frame, mask: mask)
    }

    public func write(_ frame: VideoFrame) throws {
        if !warnedAboutComposites {
            warnedAboutComposites = true
            logger.warning("\(name): given composited frames without masks; sending them whole (no bit saving)")
        }
        // Any size will do for a mask of all ones: it codes to a few bytes.
        let everything = BinaryMask(width: 16, height: 9, bits: [UInt8](repeating: 1, count: 16 * 9))
        try encoderFor(frame).encode(frame, binaryMask: everything)
    }

    public func finish() throws {
        try encoder?.finish()
    }

    private func encoderFor(_ frame: VideoFrame) throws -> SelectiveEncoder {
        if let encoder { return encoder }
        let made = try SelectiveEncoder(destination: destination, width: frame.width, height: frame.height,
                                        frameRate: frameRate, timeBase: frame.timeBase, options: options,
                                        scene: scene ?? RoomScene(asynchronous: true), logger: logger)
        encoder = made
        return made
    }

    /// `path?a=1&b=2` -> (path, [a: 1, b: 2]); a path without `?` has no options.
    static func splitQuery(_ text: String) -> (String, [String: String]) {
        guard let mark = text.lastIndex(of: "?") else { return (text, [:]) }
        var query: [String: String] = [:]
        for pair in text[text.index(after: mark)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { query[String(kv[0])] = String(kv[1]) }
        }
        return (String(text[..<mark]), query)
    }
}
