import CFFmpeg
import Logging

/// Process-wide FFmpeg settings.
public enum FFmpegLibrary {
    /// How much FFmpeg itself prints to stderr (its own log, separate from swift-log).
    /// Process-wide: set it once at start-up.
    public static func setLogLevel(_ level: Logger.Level) {
        let value: Int32
        switch level {
        case .trace: value = AV_LOG_TRACE
        case .debug: value = AV_LOG_DEBUG
        case .info, .notice: value = AV_LOG_INFO
        case .warning: value = AV_LOG_WARNING
        case .error: value = AV_LOG_ERROR
        case .critical: value = AV_LOG_FATAL
        }
        av_log_set_level(value)
    }
}
