import BackdropCore
import Foundation
import Media
import Streaming
import Testing
import TestSupport

@Suite("RTP sink")
struct RTPSinkTests {
    @Test func parsesStreamOptions() throws {
        let options = try RTPStreamOptions(query: ["bitrate": "1.5M", "keyint": "2s", "intra-refresh": "1", "pkt-size": "1000"],
                                           secure: false)
        #expect(options.bitRate == 1_500_000)
        #expect(options.keyframeInterval == .seconds(2))
        #expect(options.keyframeInterval.frames(at: Rational(30, 1)) == 60)
        #expect(options.intraRefresh)
        #expect(options.packetSize == 1000)
        #expect(try RTPStreamOptions(query: ["keyint": "45", "bitrate": "800k"], secure: false).keyframeInterval == .frames(45))
        #expect(try RTPStreamOptions(query: ["codec": "vp9", "crf": "40"], secure: false).codec == .vp9)
        #expect(try RTPStreamOptions(query: [:], secure: false) == RTPStreamOptions())
    }

    @Test(arguments: [
        ["bitrate": "fast"], ["bitrate": "5"], ["crf": "52"], ["keyint": "0"], ["keyint": "-2s"], ["intra-refresh": "maybe"],
        ["pkt-size": "100"], ["codec": "av1"], ["colour": "red"], ["key": "x.key"], ["codec": "vp9", "intra-refresh": "1"],
    ])
    func refusesBadOptions(_ query: [String: String]) {
        #expect(throws: StreamingError.self) { try RTPStreamOptions(query: query, secure: false) }
    }

    @Test func refusesBadKeyFiles() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        for (name, contents) in [("short.key", "c2hvcnQ=\n"), ("text.key", "not base64 at all!\n"), ("empty.key", "")] {
            let path = directory.file(name)
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: StreamingError.self) { try SRTPKey(contentsOf: path) }
            #expect(throws: StreamingError.self) {
                try RTPSink(address: .srtp(host: "127.0.0.1", port: 5004, options: ["key": path]), width: 64, height: 64, logger: logger)
            }
        }
        #expect(throws: StreamingError.self) { try SRTPKey(contentsOf: directory.file("missing.key")) }
        let good = try directory.srtpKeyFile()
        #expect(try SRTPKey(contentsOf: good).base64.count == 40)
    }

    /// The SDP of an SRTP stream holds its key: it is written to a fresh owner-only file, never
    /// through a file or link already standing at the temporary name.
    @Test func writesASecretSDPOnlyToAFreshFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("call.sdp"), victim = directory.file("victim.txt")
        try "untouched\n".write(toFile: victim, atomically: true, encoding: .utf8)
        chmod(victim, 0o644)
        symlink(victim, path + ".tmp-\(getpid())")
        try RTPSink.writeSDP("v=0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:KEY\r\n", to: path, secret: true)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("inline:KEY"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))
    }

    @Test func refusesOddSizesAndOtherSinks() {
        let (logger, _) = recordingLogger()
        #expect(throws: MediaError.self) {
            try RTPSink(address: .rtp(host: "127.0.0.1", port: 5004, options: [:]), width: 321, height: 240, logger: logger)
        }
        #expect(throws: StreamingError.self) {
            try RTPSink(address: .file(path: "x.mp4"), width: 320, height: 240, logger: logger)
        }
    }

    /// Made without a size (as a sink factory does), the stream opens with the first frame and
    /// takes its size; later frames of another size are scaled to it.
    @Test func opensWithTheFirstFrame() throws {
        let directory = try TemporaryDirectory()
        let (logger, _) = recordingLogger()
        let sdpPath = directory.file("lazy.sdp")
        let sink = try RTPSink(address: .rtp(host: "127.0.0.1", port: randomPort(), options: ["bitrate": "300k"]),
                               sdpPath: sdpPath, logger: logger)
        #expect(sink.sdp == nil)
        #expect(!FileManager.default.fileExists(atPath: sdpPath))
        let frames = try testFrames(count: 2)
        try sink.write(frames[0])
        #expect(sink.size?.width == 320 && sink.size?.height == 240)
        #expect(try String(contentsOfFile: sdpPath, encoding: .utf8) == sink.sdp)
        try sink.write(try PixelScaler().resize(frames[1], width: 160, height: 120))
        try sink.finish()
        try sink.finish()
        #expect(sink.framesWritten == 2)
        #expect(throws: StreamingError.self) { try sink.write(frames[0]) }
    }

    /// Backdrop sends; an ffmpeg process receives from the SDP file Backdrop wrote.
    @Test func ffmpegReceivesTheStream() throws {
        let directory = try TemporaryDirectory()
        let sent = try testFrames(count: 40)
        let (logger, _) = recordingLogger()
        let sdpPath = directory.file("out.sdp"), output = directory.file("out.yuv")
        let ffmpeg: FFmpegProcess = try withFreePort { port in
            let sink = try RTPSink(address: .rtp(host: "127.0.0.1", port: port, options: ["keyint": "15"]),
                                   width: 320, height: 240, sdpPath: sdpPath, logger: logger)
            let sdp = try String(contentsOfFile: sdpPath, encoding: .utf8)
            #expect(sdp.contains("m=video \(port) RTP/AVP 96"))
            #expect(sdp.contains("a=rtpmap:96 H264/90000"))
            #expect(sdp.contains("sprop-parameter-sets="))
            let ffmpeg = try FFmpegProcess(["-loglevel", "error", "-protocol_whitelist", "file,udp,rtp", "-i", sdpPath,
                                            "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", output],
                                           stderrPath: directory.file("ffmpeg.log"))
            #expect(waitFor(seconds: 10) { isUDPPortBound(port) })
            for frame in sent {
                try sink.write(frame)
                usleep(10_000)
            }
            try sink.finish()
            #expect(sink.sendErrors == 0)
            return ffmpeg
        }
        let status = ffmpeg.wait(seconds: 30)
        #expect(status == 0, "ffmpeg: \(ffmpeg.stderr)")
        let received = try readRawFrames(output, width: 320, height: 240)
        // The RTCP BYE at finish() ends ffmpeg's input, so even the frame it holds back comes out.
        #expect(received.count == sent.count)
        for (index, frame) in received.enumerated() {
            let psnr = lumaPSNR(frame, sent[index])
            #expect(psnr > 30, "frame \(index): \(psnr) dB")
        }
    }
}
