import ArgumentParser
import BackdropCore
import Foundation
import Logging
import Media
import SelectiveCodec
import Streaming

/// `backdrop receive SDP|URL OUTPUT`: an RTP or SRTP stream, decoded, written to any sink.
struct ReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Receive an RTP/SRTP video stream (H.264 or VP9) and write it to OUTPUT.",
        discussion: """
            A lost packet costs the frames up to the next keyframe (or intra-refresh cycle): damaged \
            pictures are dropped, never shown. When no packet arrives for --timeout seconds the \
            receiver says so and keeps listening, so it can be started before the sender and \
            outlives a sender restart. Ctrl-C or SIGTERM stops it and finishes OUTPUT.
            """)

    @Argument(help: ArgumentHelp(
        "An SDP file (backdrop --sdp, ffmpeg -sdp_file), rtp://HOST:PORT[?codec=h264|vp9] or srtp://HOST:PORT?key=FILE.",
        discussion: "An SDP of an SRTP stream carries the key: keep it private."))
    var input: String

    @Argument(help: "Where the frames go: a file (.mp4, .mkv or .y4m) or another sink (vcam:/dev/videoN).")
    var output: String

    @Option(help: "Stop this many seconds after the first frame.")
    var duration: Double?

    @Option(help: "Stop after this many frames.")
    var frames: Int?

    @Option(help: "Seconds without packets before reporting the sender gone (and listening on fresh sockets).")
    var timeout = 2.0

    @Flag(help: "Stop when the sender ends the stream (RTCP BYE) instead of waiting for it to come back.")
    var stopAtBye = false

    @Option(help: "Frame rate recorded in the output (RTP carries timestamps, not a rate).")
    var frameRate = 30

    @Option(help: "x264 constant rate factor for .mp4/.mkv outputs (0-51, lower is better).")
    var crf = 20

    @OptionGroup var log: LogOptions

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        guard (0.1...600).contains(timeout) else { throw ValidationError("--timeout \(timeout) is outside 0.1...600 seconds") }
        guard (1...240).contains(frameRate) else { throw ValidationError("--frame-rate \(frameRate) is outside 1...240") }
        guard (0...51).contains(crf) else { throw ValidationError("--crf \(crf) is outside 0...51") }
        do {
            _ = try SinkAddress(parsing: output)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The output for `address`, from the factory every command shares.
    static func makeSink(_ address: SinkAddress, frameRate: Rational, crf: Int, logger: Logger) throws -> any FrameSink {
        let context = SinkFactory.Context(frameRate: frameRate, encoder: EncoderOptions(crf: crf), sdpPath: nil, logger: logger)
        return try SinkFactory.make(address, context: context)
    }

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.receive")
        var options = RTPReceiver.Options()
        options.silenceTimeout = timeout
        options.endAtBye = stopAtBye
        let receiver: RTPReceiver
        do {
            receiver = try RTPReceiver(input: input, options: options, logger: logger)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.noInput
        }
        let sink: any FrameSink
        do {
            sink = try Self.makeSink(try SinkAddress(parsing: output), frameRate: Rational(Int32(frameRate), 1), crf: crf,
                                     logger: logger)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.cannotCreate
        }
        let interruption = receiver.interruption
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in interruption.trigger() }
        defer { signals.cancel() }

        var written = 0
        var failure: Error?
        do {
            written = try pump(from: receiver, to: sink, logger: logger)
        } catch {
            failure = error
        }
        receiver.close()
        do {
            try sink.finish()
        } catch {
            failure = failure ?? error
        }
        let stats = receiver.statistics
        print("\(output): \(written) frames; \(stats.framesDropped) damaged frames dropped, "
              + "\(stats.decodeErrors) decode errors, \(stats.silences) silences")
        if let failure {
            logger.error("\(failure)")
            throw ExitStatus.failure
        }
        if written == 0 {
            logger.error("no frame was received from \(input); nothing written to \(output)")
            throw ExitStatus.failure
        }
    }

    /// Moves frames until a signal, the sender's BYE (with --stop-at-bye), --frames or --duration.
    private func pump(from receiver: RTPReceiver, to sink: any FrameSink, logger: Logger) throws -> Int {
        var written = 0
        var firstFrameAt: Double?
        // A selective stream is recognised by its side data and rebuilt (person over the
        // synthesized background); plain video passes through unchanged.
        let selective = SelectiveDecoder(logger: logger)
        while let event = try receiver.next() {
            if case .frame(let frame) = event {
                // Every picture goes through the decoder: one of a selective stream that came without
                // its side data (lost) keeps the last mask, and plain video comes out as decoded.
                try sink.write(selective.decode(picture: frame, sideData: receiver.lastSideData).output)
                written += 1
                firstFrameAt = firstFrameAt ?? MonotonicClock.now()
            }
            if let frames, written >= frames { break }
            if let duration, let start = firstFrameAt, MonotonicClock.now() - start >= duration { break }
        }
        return written
    }
}
