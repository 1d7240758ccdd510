import BackdropCore
import Foundation
import Logging
import Media
import SelectiveCodec

/// Turns sink names (the syntax of `SinkAddress`) into sinks. Shared by `process` and `receive`.
enum SinkFactory {
    struct Context {
        var frameRate: Rational
        var encoder: EncoderOptions
        /// Where an RTP sink writes its SDP, when asked.
        var sdpPath: String?
        var logger: Logger
    }

    /// Why a sink could not be made.
    struct Unavailable: Error, CustomStringConvertible {
        let sink: String
        let reason: String
        var description: String { "sink '\(sink)': \(reason)" }
    }

    static func make(_ address: SinkAddress, context: Context) throws -> any FrameSink {
        switch address {
        case let .file(path):
            return try FileSink(path: path, frameRate: context.frameRate, options: context.encoder, logger: context.logger)
        case .virtualCamera, .rtp, .srtp:
            return try makeDevice(address, context: context)
        case .selective:
            return try SelectiveSink(address: address, frameRate: context.frameRate, sdpPath: context.sdpPath,
                                     logger: context.logger)
        }
    }
}
