import BackdropCore
import Foundation
import Logging
import Media
import Streaming
import Testing
import TestSupport

@Suite("RTP robustness")
struct RobustnessTests {
    /// `count` test frames with increasing timestamps, repeating the first 30 pictures.
    static func longStream(_ count: Int) throws -> [VideoFrame] {
        let pictures = try testFrames(count: 30)
        return (0..<count).map { index in
            var frame = pictures[index % pictures.count]
            frame.pts = Int64(index)
            return frame
        }
    }

    /// Nobody listens: sends fail (ECONNREFUSED after the kernel's ICMP reply), are logged at a
    /// limited rate, and the sink goes on taking frames; once a receiver binds the port it gets
    /// pictures.
    @Test func keepsSendingToAClosedPort() throws {
        let (logger, store) = recordingLogger()
        let frames = try Self.longStream(600)
        let (sender, port) = try withFreePort { port in
            let sender = PacedSender(address: .rtp(host: "127.0.0.1", port: port, options: ["keyint": "10"]),
                                     frames: frames, interval: 0.01, logger: logger)
            sender.waitUntilReady()
            sender.start()
            return (sender, port)
        }
        #expect(waitFor(seconds: 10) { sender.sendErrors >= 5 })
        let acceptedBeforeReceiver = sender.framesWritten
        var options = RTPReceiver.Options()
        options.silenceTimeout = 1
        let receiver = try RTPReceiver(input: "rtp://127.0.0.1:\(port)", options: options, logger: logger)
        let received = try receive(from: receiver, frames: 5, silences: 5)
        sender.stop()
        #expect(sender.join() == nil)
        #expect(received.count == 5)
        #expect(sender.framesWritten > acceptedBeforeReceiver)
        let refusals = store.messages(atLeast: .warning).filter { $0.contains("Connection refused") }
        #expect(!refusals.isEmpty)
        #expect(refusals.count < sender.sendErrors)  // rate-limited, not one line per packet
    }

    /// Random datagrams on the RTP and RTCP ports, alone and mixed into a real stream: no crash,
    /// no stall, and every picture shown is right.
    @Test func survivesGarbagePackets() throws {
        let (logger, _) = recordingLogger()
        let sent = try testFrames(count: 120)
        var options = RTPReceiver.Options()
        options.silenceTimeout = 0.3  // a stray packet may parse as a BYE: keep listening past one
        let (receiver, port) = try withFreePort { port in
            (try RTPReceiver(input: "rtp://127.0.0.1:\(port)", options: options, logger: logger), port)
        }
        sendGarbage(to: port, count: 300, seed: 1)
        sendGarbage(to: port + 1, count: 100, seed: 2)
        #expect(try receive(from: receiver, frames: 1, silences: 2).isEmpty)

        let sender = PacedSender(address: .rtp(host: "127.0.0.1", port: port, options: ["keyint": "15"]),
                                 frames: sent, interval: 0.01, logger: logger) { index in
            sendGarbage(to: port, count: 2, seed: UInt64(100 + index))
            sendGarbage(to: port + 1, count: 1, seed: UInt64(1000 + index))
        }
        sender.waitUntilReady()
        sender.start()
        let received = try receive(from: receiver, frames: 100, silences: 3)
        #expect(sender.join() == nil)
        #expect(received.count >= sent.count / 2, "\(received.count) frames, \(receiver.statistics)")
        let matches = matchFrames(received, to: sent, ticksPerFrame: 3000)
        #expect(matches.allSatisfy { $0.psnr > 30 }, "\(matches)")
    }

    /// A sender that dies without a BYE and comes back with a lower RTP sequence number (as a
    /// restarted process may): FFmpeg's parser alone would drop every new packet as "too late"
    /// for thousands of packets; the receiver recovers within its silence timeout.
    @Test func followsASenderRestartedWithoutBye() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        var options = RTPReceiver.Options()
        options.silenceTimeout = 0.3
        let (receiver, port) = try withFreePort { port in
            (try RTPReceiver(input: "rtp://127.0.0.1:\(port)", options: options, logger: logger), port)
        }
        func send(frames: Int, sequence: Int, source: String) throws -> FFmpegProcess {
            try FFmpegProcess(["-loglevel", "error", "-re", "-f", "lavfi", "-i", "\(source)=size=320x240:rate=30",
                               "-frames:v", "\(frames)", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                               "-g", "10", "-pix_fmt", "yuv420p", "-f", "rtp", "-seq", "\(sequence)", "rtp://127.0.0.1:\(port)"],
                              stderrPath: directory.file("ffmpeg-\(sequence).log"))
        }
        let first = try send(frames: 20, sequence: 40000, source: "testsrc2")
        let before = try receive(from: receiver, frames: 19, silences: 10)
        #expect(first.wait(seconds: 20) == 0)
        #expect(before.count == 19)
        let second = try send(frames: 60, sequence: 20000, source: "testsrc")
        let after = try receive(from: receiver, frames: 200, silences: 3)
        #expect(second.wait(seconds: 20) == 0)
        // The restart costs the silence timeout (9 frames), up to a keyframe interval (10) and the
        // last frame, which the parser holds until a next one that never comes.
        // Every picture shown is one that was sent (the first may be the old stream's last).
        let sent = try testFrames(count: 20) + testFrames(count: 60, source: "testsrc")
        let matches = after.map { bestMatch($0, in: sent, candidates: sent.indices) }
        #expect(matches.allSatisfy { $0.psnr > 30 }, "\(matches)")
        let fromRestart = matches.filter { $0.index >= 20 }.count
        #expect(fromRestart >= 60 - 30, "\(fromRestart) frames after the restart, \(receiver.statistics)")
    }

    /// Every prefix of a valid SDP either opens (it can still describe the stream) or fails with
    /// a StreamingError; one cut before the codec is known always fails. Random bytes and a
    /// missing file fail too.
    @Test func refusesTruncatedAndBogusSDP() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        let text: String = try withFreePort { port in
            let path = directory.file("full.sdp")
            _ = try RTPSink(address: .rtp(host: "127.0.0.1", port: port, options: [:]), width: 64, height: 64,
                            sdpPath: path, logger: logger)
            _ = try RTPReceiver(input: path, logger: logger)  // the whole file opens (and its port is free)
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let bytes = Array(text.utf8)
        // Until "a=rtpmap:96 H264" is complete the codec is unknown.
        let codecKnown = text.utf8.distance(from: text.startIndex, to: text.range(of: "rtpmap:96 H264")!.upperBound)
        var refused = 0
        for cut in stride(from: 0, to: bytes.count, by: 4) {
            let path = directory.file("cut-\(cut).sdp")
            try Data(bytes[0..<cut]).write(to: URL(fileURLWithPath: path))
            do {
                _ = try RTPReceiver(input: path, logger: logger)
                #expect(cut >= codecKnown, "a cut at \(cut) of \(bytes.count) bytes opened")
            } catch let error as StreamingError {
                refused += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(refused > 0)

        var random = SplitMix64(seed: 3)
        let bogus = directory.file("bogus.sdp")
        try Data((0..<2000).map { _ in UInt8(truncatingIfNeeded: random.next()) }).write(to: URL(fileURLWithPath: bogus))
        #expect(throws: StreamingError.self) { try RTPReceiver(input: bogus, logger: logger) }
        let error = #expect(throws: StreamingError.self) { try RTPReceiver(input: directory.file("missing.sdp"), logger: logger) }
        #expect(error?.description.contains("SDP") == true)
    }

    /// A second receiver on a taken port is told so, not "invalid data".
    @Test func namesATakenPort() throws {
        let (logger, _) = recordingLogger()
        let (first, port) = try withFreePort { port in (try RTPReceiver(input: "rtp://127.0.0.1:\(port)", logger: logger), port) }
        let error = #expect(throws: StreamingError.self) { try RTPReceiver(input: "rtp://127.0.0.1:\(port)", logger: logger) }
        #expect(error?.description.contains("already in use") == true)
        first.close()
    }

    /// `interruption.trigger()` from another thread ends a `next()` that is waiting for packets.
    @Test func interruptionEndsAWaitingRead() throws {
        let (logger, _) = recordingLogger()
        var options = RTPReceiver.Options()
        options.silenceTimeout = 30
        let receiver = try withFreePort { port in try RTPReceiver(input: "rtp://127.0.0.1:\(port)", options: options, logger: logger) }
        let interruption = receiver.interruption
        let trigger = BackgroundWork {
            usleep(300_000)
            interruption.trigger()
        }
        #expect(try receiver.next() == nil)
        #expect(trigger.join(seconds: 5) == nil)
    }
}
