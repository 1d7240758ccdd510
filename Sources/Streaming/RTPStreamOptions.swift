import BackdropCore

/// How an RTP stream is encoded and packetized, from the sink address's query string:
/// `rtp://HOST:PORT?bitrate=800k&keyint=2s&intra-refresh=1&pkt-size=1200&codec=vp9`.
public struct RTPStreamOptions: Sendable, Equatable {
    /// The video codec on the wire.
    public enum Codec: String, Sendable, CaseIterable {
        /// libx264, veryfast, zerolatency, no B-frames.
        case h264
        /// libvpx-vp9 in realtime mode (RTP payload still marked experimental in FFmpeg 5.1).
        case vp9
    }

    /// The distance between keyframes (or intra-refresh cycles).
    public enum KeyframeInterval: Sendable, Equatable {
        case frames(Int)
        case seconds(Double)

        /// The interval in frames at `frameRate`, at least 1.
        public func frames(at frameRate: Rational) -> Int {
            switch self {
            case let .frames(count): return count
            case let .seconds(seconds): return max(1, Int((seconds * frameRate.doubleValue).rounded()))
            }
        }
    }

    public static let knownOptions = ["codec", "bitrate", "crf", "keyint", "intra-refresh", "pkt-size", "key", "suite"]
    /// The SRTP suites FFmpeg's srtp protocol implements; both take a 30-byte key+salt.
    public static let srtpSuites = ["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"]

    public var codec = Codec.h264
    /// Target bit rate in bits per second, also the ceiling; nil for constant quality under
    /// `qualityCeiling`.
    public var bitRate: Int?
    /// Constant quality when no bit rate is given (x264 default 23; VP9 default 32).
    public var crf: Int?
    public var keyframeInterval = KeyframeInterval.seconds(2)
    /// H.264 only: refresh a moving column of intra blocks instead of sending whole keyframes,
    /// which evens out the packet rate and lets a receiver recover without a big IDR frame.
    public var intraRefresh = false
    /// The largest UDP payload, RTP header included; 1200 stays under common tunnel MTUs.
    public var packetSize = 1200
    /// SRTP only: the key file (see `SRTPKey`).
    public var keyFile: String?
    public var srtpSuite = RTPStreamOptions.srtpSuites[0]

    public init() {}

    /// Parses the query options of an `rtp://` (or, with `secure`, `srtp://`) address.
    public init(query: [String: String], secure: Bool) throws(StreamingError) {
        for name in query.keys.sorted() where !Self.knownOptions.contains(name) {
            throw .unknownOption(name: name, known: Self.knownOptions)
        }
        if let value = query["codec"] {
            guard let codec = Codec(rawValue: value.lowercased()) else {
                throw .invalidOption(name: "codec", value: value, expected: Codec.allCases.map(\.rawValue).joined(separator: " or "))
            }
            self.codec = codec
        }
        if let value = query["bitrate"] {
            guard let rate = BitRate.parse(value), (10_000...100_000_000).contains(rate) else {
                throw .invalidOption(name: "bitrate", value: value, expected: "bits per second in 10k...100M, e.g. 800k or 2M")
            }
            bitRate = rate
        }
        if let value = query["crf"] {
            let limit = codec == .vp9 ? 63 : 51
            guard let crf = Int(value), (0...limit).contains(crf) else {
                throw .invalidOption(name: "crf", value: value, expected: "an integer in 0...\(limit)")
            }
            self.crf = crf
        }
        if let value = query["keyint"] {
            if value.hasSuffix("s"), let seconds = Double(value.dropLast()), seconds > 0, seconds <= 600 {
                keyframeInterval = .seconds(seconds)
            } else if let frames = Int(value), (1...18000).contains(frames) {
                keyframeInterval = .frames(frames)
            } else {
                throw .invalidOption(name: "keyint", value: value,
                                     expected: "frames (1...18000) or seconds with an s suffix, e.g. 60 or 2s")
            }
        }
        if let value = query["intra-refresh"] {
            switch value.lowercased() {
            case "1", "true", "yes": intraRefresh = true
            case "0", "false", "no": intraRefresh = false
            default: throw .invalidOption(name: "intra-refresh", value: value, expected: "1 or 0")
            }
            if intraRefresh && codec != .h264 {
                throw .invalidOption(name: "intra-refresh", value: value, expected: "0: intra refresh needs codec=h264")
            }
        }
        if let value = query["pkt-size"] {
            guard let size = Int(value), (256...65000).contains(size) else {
                throw .invalidOption(name: "pkt-size", value: value, expected: "bytes in 256...65000 (1200 suits most networks)")
            }
            packetSize = size
        }
        if secure {
            guard let key = query["key"], !key.isEmpty else {
                throw .invalidOption(name: "key", value: "", expected: "the path of an SRTP key file")
            }
            keyFile = key
            if let suite = query["suite"] {
                guard Self.srtpSuites.contains(suite) else {
                    throw .invalidOption(name: "suite", value: suite, expected: Self.srtpSuites.joined(separator: " or "))
                }
                srtpSuite = suite
            }
        } else {
            for name in ["key", "suite"] where query[name] != nil {
                throw .invalidOption(name: name, value: query[name]!, expected: "nothing: \(name) is for srtp:// addresses")
            }
        }
    }

    /// The bit rate constant quality may not exceed: 0.1 bit per pixel (2.8 Mbit/s at 720p30),
    /// at least 1 Mbit/s.
    public static func qualityCeiling(width: Int, height: Int, frameRate: Rational) -> Int {
        max(1_000_000, Int(Double(width * height) * frameRate.doubleValue * 0.1))
    }
}
