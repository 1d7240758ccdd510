import Streaming

/// How a selective RTP stream is encrypted: the SRTP master key and salt and the suite
/// (`selective:srtp://HOST:PORT?key=FILE[&suite=…]`).
public struct SRTPEncryption: Sendable, Equatable {
    public let key: SRTPKey
    public let suite: String

    public init(key: SRTPKey, suite: String = RTPStreamOptions.srtpSuites[0]) throws(SelectiveCodecError) {
        guard RTPStreamOptions.srtpSuites.contains(suite) else {
            throw .invalidOption(name: "suite", value: suite, expected: RTPStreamOptions.srtpSuites.joined(separator: " or "))
        }
        self.key = key
        self.suite = suite
    }
}
