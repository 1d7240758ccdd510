import BackdropCore
import Foundation
import Logging
import Media
import Streaming
import Synchronization
import Testing
import TestSupport

@Suite("RTP receiver")
struct RTPReceiverTests {
    static func options(timeout: Double = 1, endAtBye: Bool = true) -> RTPReceiver.Options {
        var options = RTPReceiver.Options()
        options.silenceTimeout = timeout
        options.endAtBye = endAtBye
        return options
    }

    /// An ffmpeg process sends; Backdrop receives from `rtp://` (no SDP needed for H.264).
    @Test func receivesWhatFFmpegSends() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        let count = 60
        let (receiver, ffmpeg) = try withFreePort { port in
            let receiver = try RTPReceiver(input: "rtp://127.0.0.1:\(port)", options: Self.options(), logger: logger)
            let ffmpeg = try FFmpegProcess([
                "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", "\(count)",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p",
                "-f", "rtp", "-rtpflags", "send_bye", "-sdp_file", directory.file("ffmpeg.sdp"), "rtp://127.0.0.1:\(port)",
            ], stderrPath: directory.file("ffmpeg.log"))
            return (receiver, ffmpeg)
        }
        let received = try receive(from: receiver, frames: count + 10, silences: 5)
        #expect(ffmpeg.wait(seconds: 20) == 0, "ffmpeg: \(ffmpeg.stderr)")
        #expect(receiver.codecName == "h264")
        // ffmpeg sends its BYE right behind the last frame, and FFmpeg's demuxer reads RTCP
        // first: the BYE may overtake that frame.
        #expect(received.count == count || received.count == count - 1)
        let sent = try testFrames(count: count)
        let matches = matchFrames(received, to: sent, ticksPerFrame: 3000)
        #expect(matches.map(\.index) == Array(0..<received.count))
        #expect(matches.allSatisfy { $0.psnr > 30 }, "\(matches.map(\.psnr))")
        #expect(receiver.statistics.framesDropped <= 1)  // that last frame, if the BYE cut it in half
    }

    /// A receiver for `sdp` once `sender` has written it; the sender starts when the receiver listens.
    static func listen(to sender: PacedSender, sdp: String, options: RTPReceiver.Options = options(),
                       logger: Logger) throws -> RTPReceiver {
        sender.waitUntilReady()
        do {
            let receiver = try RTPReceiver(input: sdp, options: options, logger: logger)
            sender.start()
            return receiver
        } catch {
            sender.stop()
            _ = sender.join()
            throw error
        }
    }

    /// Backdrop to Backdrop with VP9, through the SDP the sink writes.
    @Test func vp9RoundTrip() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        let sent = try testFrames(count: 30)
        let sdp = directory.file("vp9.sdp")
        let (sender, receiver) = try withFreePort { port in
            let sender = PacedSender(address: .rtp(host: "127.0.0.1", port: port, options: ["codec": "vp9", "keyint": "10"]),
                                     sdpPath: sdp, frames: sent, interval: 0.005, logger: logger)
            return (sender, try Self.listen(to: sender, sdp: sdp, logger: logger))
        }
        let received = try receive(from: receiver, frames: 100, silences: 3)
        #expect(sender.join() == nil)
        #expect(try String(contentsOfFile: sdp, encoding: .utf8).contains("VP9/90000"))
        #expect(receiver.codecName == "vp9")
        #expect(received.count == sent.count)
        for (index, frame) in received.enumerated() where index < sent.count {
            let psnr = lumaPSNR(frame, sent[index])
            #expect(psnr > 30, "frame \(index): \(psnr) dB")
        }
    }

    /// SRTP: the right key decodes every frame; a wrong key decodes none (the packets fail
    /// authentication), and neither stalls.
    @Test func srtpRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        let sent = try testFrames(count: 20)
        let key = try directory.srtpKeyFile()
        let base64 = try SRTPKey(contentsOf: key).base64
        let sdp = directory.file("srtp.sdp")
        func sender(_ port: Int) -> PacedSender {
            PacedSender(address: .srtp(host: "127.0.0.1", port: port, options: ["key": key, "keyint": "10"]),
                        sdpPath: sdp, frames: sent, interval: 0.005, logger: logger)
        }
        let (first, receiver) = try withFreePort { port in
            let first = sender(port)
            return (first, try Self.listen(to: first, sdp: sdp, logger: logger))
        }
        let received = try receive(from: receiver, frames: 100, silences: 3)
        #expect(first.join() == nil)
        let description = try String(contentsOfFile: sdp, encoding: .utf8)
        #expect(description.contains("RTP/SAVP"))
        #expect(description.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(base64)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: sdp)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(received.count == sent.count)
        for (index, frame) in received.enumerated() where index < sent.count {
            #expect(lumaPSNR(frame, sent[index]) > 30, "frame \(index)")
        }

        // The same stream to a receiver holding another key.
        let wrong = try SRTPKey(contentsOf: try directory.srtpKeyFile("wrong.key")).base64
        let wrongSDP = directory.file("wrong.sdp")
        let (second, intruder) = try withFreePort { port in
            let second = sender(port)
            second.waitUntilReady()
            let text = try String(contentsOfFile: sdp, encoding: .utf8).replacingOccurrences(of: base64, with: wrong)
            try text.write(toFile: wrongSDP, atomically: true, encoding: .utf8)
            return (second, try Self.listen(to: second, sdp: wrongSDP, options: Self.options(timeout: 0.5), logger: logger))
        }
        let stolen = try receive(from: intruder, frames: 100, silences: 2)
        #expect(second.join() == nil)
        #expect(stolen.isEmpty)
    }

    /// Backdrop sends SRTP; ffmpeg decrypts it from the SDP.
    @Test func ffmpegReceivesSRTP() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        let sent = try testFrames(count: 20)
        let key = try directory.srtpKeyFile()
        let sdp = directory.file("srtp.sdp"), output = directory.file("out.yuv")
        let ffmpeg: FFmpegProcess = try withFreePort { port in
            let sink = try RTPSink(address: .srtp(host: "127.0.0.1", port: port, options: ["key": key]),
                                   width: 320, height: 240, sdpPath: sdp, logger: logger)
            let ffmpeg = try FFmpegProcess(["-loglevel", "error", "-protocol_whitelist", "file,udp,rtp,srtp,crypto", "-i", sdp,
                                            "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", output],
                                           stderrPath: directory.file("ffmpeg.log"))
            #expect(waitFor(seconds: 10) { isUDPPortBound(port) })
            for frame in sent {
                try sink.write(frame)
                usleep(10_000)
            }
            try sink.finish()
            return ffmpeg
        }
        #expect(ffmpeg.wait(seconds: 30) == 0, "ffmpeg: \(ffmpeg.stderr)")
        let received = try readRawFrames(output, width: 320, height: 240)
        #expect(received.count == sent.count)
        for (index, frame) in received.enumerated() {
            #expect(lumaPSNR(frame, sent[index]) > 30, "frame \(index)")
        }
    }

    /// A relay drops ~2% of packets and swaps ~3% with their successor for the first 4 s of a
    /// stream with a keyframe every 2 s, then stops: from the first keyframe after the last loss
    /// every frame arrives and is right, and what was shown during the loss was never garbage.
    /// `count` frames sent with `options` through a relay that drops `dropRate` of the packets
    /// and swaps `reorderRate` with their successor (until frame `cleanFrom`, when given), and
    /// what the receiver made of them.
    private func sendThroughRelay(count: Int = 240, options: [String: String], dropRate: Double = 0.02,
                                  reorderRate: Double = 0.03, seed: UInt64 = 1, cleanFrom: Int? = nil) throws
        -> (sent: [VideoFrame], received: [VideoFrame], receiver: RTPReceiver, relay: UDPRelay) {
        let (logger, _) = recordingLogger()
        let sent = try testFrames(count: count)
        let (receiver, relay, sender) = try withFreePort { relayPort in
            let receivePort = relayPort + 2
            let receiver = try RTPReceiver(input: "rtp://127.0.0.1:\(receivePort)", options: Self.options(), logger: logger)
            let relay = try UDPRelay(inPort: relayPort, outPort: receivePort, dropRate: dropRate, reorderRate: reorderRate,
                                     seed: seed)
            let sender = PacedSender(address: .rtp(host: "127.0.0.1", port: relayPort, options: options),
                                     frames: sent, interval: 0.004, logger: logger) { index in
                if index == cleanFrom { relay.lossy.store(false, ordering: .relaxed) }
            }
            sender.waitUntilReady()
            sender.start()
            return (receiver, relay, sender)
        }
        let received = try receive(from: receiver, frames: 1000, silences: 3)
        #expect(sender.join() == nil)
        relay.stop()
        return (sent, received, receiver, relay)
    }

    @Test func recoversFromLossAtTheNextKeyframe() throws {
        let cleanFrom = 120  // keyframes at 0, 60, 120, 180
        let (sent, received, receiver, relay) = try sendThroughRelay(options: ["keyint": "2s", "bitrate": "400k"],
                                                                          cleanFrom: cleanFrom)
        #expect(relay.dropped.load(ordering: .relaxed) > 0)
        #expect(relay.reordered.load(ordering: .relaxed) > 0)

        let matches = matchFrames(received, to: sent, ticksPerFrame: 3000)
        let clean = matches.filter { $0.index >= cleanFrom }
        #expect(clean.map(\.index) == Array(cleanFrom..<sent.count))
        #expect(clean.allSatisfy { $0.psnr > 30 })
        let lossy = matches.filter { $0.index < cleanFrom }
        let wrong = lossy.filter { $0.psnr <= 30 }
        #expect(wrong.isEmpty, "\(wrong.count) of \(lossy.count) frames shown during the loss were damaged: \(wrong)")
        #expect(receiver.statistics.framesDropped > 0)
    }

    /// With intra refresh there is no keyframe after the first: after a loss the receiver waits
    /// for a recovery point and the refresh it announces, then shows frames again, all right.
    @Test func recoversFromLossWithIntraRefresh() throws {
        let cleanFrom = 120
        let (sent, received, receiver, relay) = try sendThroughRelay(
            options: ["keyint": "1s", "intra-refresh": "1", "bitrate": "400k"], cleanFrom: cleanFrom)
        #expect(relay.dropped.load(ordering: .relaxed) > 0)
        let matches = matchFrames(received, to: sent, ticksPerFrame: 3000)
        #expect(matches.allSatisfy { $0.psnr > 30 }, "\(matches.filter { $0.psnr <= 30 })")
        // Recovery points come every 30 frames and a refresh takes 19: by frame 120 + 30 + 19
        // the picture is whole again, and every later frame arrives.
        let recoveredBy = cleanFrom + 30 + 19
        #expect(matches.map(\.index).filter { $0 >= recoveredBy } == Array(recoveredBy..<sent.count))
        #expect(receiver.statistics.framesDropped > 0)
    }

    /// Reordering alone costs nothing: the receiver's queue puts packets back in order.
    @Test func reorderingAloneLosesNoFrame() throws {
        let (sent, received, receiver, relay) = try sendThroughRelay(count: 60, options: ["keyint": "2s"], dropRate: 0,
                                                                     reorderRate: 0.1, seed: 11)
        #expect(relay.reordered.load(ordering: .relaxed) > 0)
        #expect(received.count == sent.count)
        #expect(receiver.statistics.framesDropped == 0)
        for (index, frame) in received.enumerated() where index < sent.count {
            #expect(lumaPSNR(frame, sent[index]) > 30, "frame \(index)")
        }
    }
}
