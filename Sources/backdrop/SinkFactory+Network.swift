import BackdropCore
import Streaming

extension SinkFactory {
    /// `rtp://` and `srtp://`: H.264 (or VP9 with `?codec=vp9`) over RTP, SDP where `--sdp` says.
    static func makeNetwork(_ address: SinkAddress, context: Context) throws -> any FrameSink {
        try RTPSink(address: address, frameRate: context.frameRate, sdpPath: context.sdpPath, logger: context.logger)
    }
}
