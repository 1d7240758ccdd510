import ArgumentParser
import BackdropCore
import Foundation
import Logging
import Media
import SelectiveCodec

/// `backdrop decode INPUT OUTPUT`: the receiver's reconstruction, on files.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a selective stream: the person composited over the background rebuilt from the in-band scene.",
        discussion: """
            INPUT is a file (or an .sdp, rtp://HOST:PORT or srtp://HOST:PORT?key=FILE stream); OUTPUT a .mp4, .mkv or .y4m. \
            A stream without Backdrop side data is written as decoded. Damaged side data is \
            skipped with a warning; the last good mask and background stay in use.
            """)

    @Argument(help: "A selective stream: .mp4, .mkv, .h264, an .sdp file, rtp://HOST:PORT or srtp://HOST:PORT?key=FILE.")
    var input: String

    @Argument(help: "Output video: .mp4, .mkv or .y4m.")
    var output: String

    @Option(help: "x264 constant rate factor of OUTPUT (0-51).")
    var crf = 18

    @Option(help: "Write the decoded pictures (person over padding) instead of the composite.")
    var picture = false

    @OptionGroup var log: LogOptions

    func validate() throws {
        guard (0...51).contains(crf) else { throw ValidationError("--crf \(crf) is outside 0...51") }
        guard ContainerFormat(path: output) != nil else {
            throw ValidationError("OUTPUT '\(output)' must end in .mp4, .mkv or .y4m")
        }
    }

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.decode")
        let reader: SelectiveStreamReader
        do {
            reader = try SelectiveStreamReader(input: input, logger: logger)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.noInput
        }
        let decoder = SelectiveDecoder(renderers: SceneRenderers.builtIn(), logger: logger)
        var writer: MediaWriter?
        var bar = ProgressBar()
        let start = MonotonicClock.now()
        var frames = 0, composited = 0
        do {
            while let received = try reader.next() {
                let result = decoder.decode(picture: received.frame, sideData: received.sideData)
                let frame = picture ? result.picture : result.output
                if writer == nil {
                    do {
                        writer = try MediaWriter(path: output, width: frame.width, height: frame.height, frameRate: reader.frameRate,
                                                 timeBase: reader.timeBase, audio: nil, options: EncoderOptions(crf: crf), logger: logger)
                    } catch {
                        logger.error("\(error)")
                        throw ExitStatus.cannotCreate
                    }
                }
                try writer!.write(frame)
                frames += 1
                if result.composited { composited += 1 }
                bar.update(frames: frames, total: nil, seconds: MonotonicClock.now() - start)
            }
            try writer?.finish()
            bar.finish()
        } catch let status as ExitCode {
            bar.finish()
            throw status
        } catch {
            bar.finish()
            logger.error("\(error)")
            throw ExitStatus.failure
        }
        guard frames > 0 else {
            logger.error("\(input): no picture could be decoded")
            throw ExitStatus.failure
        }
        let kind = decoder.isSelective ? "selective stream" : "plain video (no Backdrop side data)"
        print("\(output): \(frames) frames from a \(kind); \(composited) composited, "
              + "\(decoder.messagesRejected) side-data messages rejected, \(reader.droppedPictures) damaged pictures dropped")
    }
}
