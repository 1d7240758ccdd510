import BackdropCore
import Logging

/// A `FrameSink` that records to a file (.mp4, .mkv or .y4m). The writer is created with the
/// first frame, whose size it takes; the container is checked at once so a bad name fails early.
public final class FileSink: FrameSink {
    public let name: String
    private let frameRate: Rational
    private let options: EncoderOptions
    private let logger: Logger
    private var writer: MediaWriter?

    public init(path: String, frameRate: Rational, options: EncoderOptions = EncoderOptions(), logger: Logger) throws {
        guard ContainerFormat(path: path) != nil else {
            throw MediaError.unsupportedContainer(path: path, allowed: ContainerFormat.allCases.map(\.rawValue))
        }
        name = path
        self.frameRate = frameRate
        self.options = options
        self.logger = logger
    }

    public func write(_ frame: VideoFrame) throws {
        if writer == nil {
            writer = try MediaWriter(path: name, width: frame.width - frame.width % 2, height: frame.height - frame.height % 2,
                                     frameRate: frameRate, timeBase: frame.timeBase, audio: nil,
                                     options: options, logger: logger)
        }
        try writer!.write(frame)
    }

    public func finish() throws {
        try writer?.finish()
    }
}
