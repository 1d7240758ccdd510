import BackdropCore
import Foundation
import Synchronization
import Testing
@testable import SelectiveCodec
import Streaming
import TestSupport

@Suite("The selective stream over SRTP")
struct SRTPTests {
    @Test("an encrypted stream reaches the receiver holding the key, and no one else", .timeLimit(.minutes(1)))
    func encryptedRoundTrip() throws {
        let (logger, _) = recordingLogger()
        let directory = try TemporaryDirectory()
        let scene = SyntheticScene()
        let relay = try UDPRelay()
        let key = try SRTPKey(contentsOf: try directory.srtpKeyFile("stream.key"))
        let sdpPath = directory.file("out.sdp")
        var options = scene.options
        options.keyframeInterval = 1
        let encoder = try SelectiveEncoder(destination: .rtp(host: "127.0.0.1", port: relay.port, sdpPath: sdpPath,
                                                             encryption: try SRTPEncryption(key: key)),
                                           width: scene.width, height: scene.height, frameRate: Rational(15, 1),
                                           timeBase: Rational(1, 15), options: options, logger: logger)
        let sdp = try #require(encoder.sdp)
        #expect(sdp.contains("RTP/SAVP") && sdp.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key.base64)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: sdpPath)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "the SDP holds the key: owner only")

        // The same SDP with another key: what a listener without the key could do at best.
        let otherKey = try SRTPKey(contentsOf: try directory.srtpKeyFile("other.key"))
        let wrongSDP = sdp.replacingOccurrences(of: key.base64, with: otherKey.base64)
        let rightPort = UDPRelay.freePortPair()
        var wrongPort = UDPRelay.freePortPair()
        while wrongPort == rightPort { wrongPort = UDPRelay.freePortPair() }
        let right = RTPLossTests.Received(), wrong = RTPLossTests.Received()
        let threads = [RTPLossTests.receive(sdp: sdp, port: rightPort, into: right, logger: logger),
                       RTPLossTests.receive(sdp: wrongSDP, port: wrongPort, into: wrong, logger: logger)]
        let keepAll: @Sendable (Int) -> Bool = { _ in false }
        relay.start(targets: [(rightPort, keepAll), (wrongPort, keepAll)])
        usleep(500_000)
        var results: [SelectiveEncoder.FrameResult] = []
        for index in 0..<20 {
            results.append(try encoder.encode(scene.frame(index, timeBase: Rational(1, 15)), binaryMask: scene.mask(index)))
            usleep(15_000)
        }
        try encoder.finish()
        for thread in threads { while !thread.isFinished { usleep(20_000) } }
        relay.stop()

        #expect(right.failure.withLock { $0 } == nil, "\(right.failure.withLock { $0 } ?? "")")
        let frames = right.frames.withLock { $0 }
        #expect(frames.count >= 18, "\(frames.count) of 20 frames")
        for frame in frames {
            let sequence = try #require(frame.maskSequence)
            #expect(frame.mask == results[Int(sequence)].mask)
            #expect(frame.composited)
        }
        #expect(wrong.frames.withLock { $0 }.isEmpty, "a receiver with the wrong key decoded pictures")
    }

    @Test("selective:srtp sinks read their key file and refuse a missing key or an unknown suite")
    func sinkAddresses() throws {
        let (logger, _) = recordingLogger()
        let directory = try TemporaryDirectory()
        let key = try directory.srtpKeyFile("stream.key")
        let port = UDPRelay.freePortPair()
        let sink = try SelectiveSink(address: try SinkAddress(parsing: "selective:srtp://127.0.0.1:\(port)?key=\(key)&crf=30"),
                                     frameRate: Rational(15, 1), logger: logger)
        #expect(sink.name.hasPrefix("selective:srtp://127.0.0.1:\(port)"))
        #expect(throws: StreamingError.self) {
            _ = try SelectiveSink(address: try SinkAddress(parsing: "selective:srtp://127.0.0.1:\(port)?key=\(directory.file("none.key"))"),
                                  frameRate: Rational(15, 1), logger: logger)
        }
        #expect(throws: SelectiveCodecError.self) {
            _ = try SelectiveSink(address: try SinkAddress(parsing: "selective:srtp://127.0.0.1:\(port)?key=\(key)&suite=ROT13"),
                                  frameRate: Rational(15, 1), logger: logger)
        }
    }
}
