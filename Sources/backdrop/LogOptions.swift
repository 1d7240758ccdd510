import ArgumentParser
import Foundation
import Logging
import Media

/// `--log-level`, shared by every command; logs go to stderr, where journald picks them up.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (default: BACKDROP_LOG_LEVEL or info).")
    var logLevel: String?

    func makeLogger(label: String) throws -> Logger {
        let text = logLevel ?? ProcessInfo.processInfo.environment["BACKDROP_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("--log-level '\(text)' is not one of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        LoggingBootstrap.once()
        var logger = Logger(label: label)
        logger.logLevel = level
        // FFmpeg's own chatter (encoder statistics and the like) sits one step below ours, so a
        // plain run prints only Backdrop's summary and FFmpeg's warnings.
        let ffmpegLevel: Logger.Level = switch level {
        case .trace: .debug
        case .debug: .info
        case .info, .notice: .warning
        default: level
        }
        FFmpegLibrary.setLogLevel(ffmpegLevel)
        return logger
    }
}

/// swift-log may be bootstrapped once per process.
enum LoggingBootstrap {
    private static let done: Bool = {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        return true
    }()

    static func once() { _ = done }
}
