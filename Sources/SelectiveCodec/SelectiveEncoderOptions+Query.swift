import BackdropCore

extension SelectiveEncoderOptions {
    /// Options a `selective:` sink address may carry after `?`.
    public static let knownQueryOptions = ["bitrate", "crf", "keyint", "pkt-size", "padding", "preserve"]

    /// Reads the query options of a `selective:rtp://HOST:PORT?…` or `selective:FILE?…` address:
    /// `bitrate` (800k, 1.5M), `crf`, `keyint` (frames, or seconds with an s suffix), `pkt-size`,
    /// `padding` (push-pull, flat, none), `preserve` (x,y,w,h boxes separated by `;`).
    public init(query: [String: String], frameRate: Rational, base: SelectiveEncoderOptions = SelectiveEncoderOptions())
        throws(SelectiveCodecError) {
        self = base
        for name in query.keys.sorted() where !Self.knownQueryOptions.contains(name) {
            throw .invalidOption(name: "option", value: name, expected: Self.knownQueryOptions.joined(separator: ", "))
        }
        if let value = query["bitrate"] {
            guard let rate = BitRate.parse(value), (10_000...100_000_000).contains(rate) else {
                throw .invalidOption(name: "bitrate", value: value, expected: "bits per second in 10k...100M, e.g. 300k or 1.5M")
            }
            bitRate = rate
        }
        if let value = query["crf"] {
            guard let crf = Int(value), (0...51).contains(crf) else { throw .invalidOption(name: "crf", value: value, expected: "0...51") }
            self.crf = crf
        }
        if let value = query["keyint"] {
            if value.hasSuffix("s"), let seconds = Double(value.dropLast()), seconds > 0, seconds <= 600 {
                keyframeInterval = seconds
            } else if let frames = Int(value), (1...18000).contains(frames), frameRate.doubleValue > 0 {
                keyframeInterval = Double(frames) / frameRate.doubleValue
            } else {
                throw .invalidOption(name: "keyint", value: value, expected: "frames (1...18000) or seconds with an s suffix, e.g. 60 or 2s")
            }
        }
        if let value = query["pkt-size"] {
            guard let size = Int(value), (256...65000).contains(size) else {
                throw .invalidOption(name: "pkt-size", value: value, expected: "bytes in 256...65000")
            }
            packetSize = size
        }
        if let value = query["padding"] {
            guard let mode = PaddingMode(rawValue: value) else {
                throw .invalidOption(name: "padding", value: value, expected: PaddingMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            padding = mode
        }
        if let value = query["preserve"] {
            boxes = try value.split(separator: ";").map { text throws(SelectiveCodecError) in
                guard let box = PreserveBox(parsing: String(text)) else {
                    throw .invalidOption(name: "preserve", value: String(text), expected: "x,y,w,h in pixels, boxes separated by ;")
                }
                return box
            }
        }
        try validate()
    }
}
