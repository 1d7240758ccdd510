import Foundation
import Logging
import Media
import Synchronization

/// Records log messages so tests can check what was reported.
public struct RecordingLogHandler: LogHandler {
    /// The messages, shared by every copy of the handler.
    public final class Store: Sendable {
        let messages = Mutex<[(Logger.Level, String)]>([])

        public func messages(atLeast level: Logger.Level = .trace) -> [String] {
            messages.withLock { $0.filter { $0.0 >= level }.map(\.1) }
        }

        public func warnings() -> [String] { messages(atLeast: .warning) }
    }

    let store: Store
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public func log(event: LogEvent) {
        store.messages.withLock { $0.append((event.level, event.message.description)) }
        if Self.echo { FileHandle.standardError.write(Data("[\(event.level)] \(event.message)\n".utf8)) }
    }

    /// BACKDROP_TEST_LOG=1 echoes every message to stderr, for debugging a failing run.
    static let echo = ProcessInfo.processInfo.environment["BACKDROP_TEST_LOG"] == "1"

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

/// FFmpeg's own stderr chatter (x264 statistics, decoder complaints about lost packets) would
/// bury test output; BACKDROP_TEST_FFMPEG_LOG=debug (or another level) lets it speak.
private let quietFFmpeg: Void = FFmpegLibrary.setLogLevel(
    ProcessInfo.processInfo.environment["BACKDROP_TEST_FFMPEG_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical)

/// A logger whose messages the returned store keeps; FFmpeg is quietened on first use.
public func recordingLogger(label: String = "backdrop-tests") -> (Logger, RecordingLogHandler.Store) {
    _ = quietFFmpeg
    let store = RecordingLogHandler.Store()
    return (Logger(label: label) { _ in RecordingLogHandler(store: store) }, store)
}

/// A recording logger as one object, for tests that hand it around: `logger` writes into it,
/// `messages(atLeast:)` reads what was said.
public final class TestLog: Sendable {
    public let logger: Logger
    private let store: RecordingLogHandler.Store

    public init() {
        (logger, store) = recordingLogger()
    }

    public func messages(atLeast level: Logger.Level = .trace) -> [String] {
        store.messages(atLeast: level)
    }
}
