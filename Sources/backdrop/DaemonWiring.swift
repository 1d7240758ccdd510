import BackdropCore
import Capture
import Daemon
import Logging
import Media
import Processing

/// Gives the daemon the sources, sinks and picture loader that live in this executable's
/// factories, so `run` builds what `process` would from the same names; a camera is asked for
/// the configured size (`camera.width`, `camera.height`).
enum DaemonWiring {
    static func factories(logger: Logger) -> DaemonFactories {
        DaemonFactories(
            makeSource: { request in
                if let selector = CameraSelector(input: request.input) {
                    let capture = CaptureRequest(width: request.width, height: request.height, frameRate: 30)
                    return try V4L2CameraSource(selector, request: capture, logger: logger)
                }
                return try SourceFactory.make(request.input, realtime: request.realtime, loop: request.loop, logger: logger)
            },
            makeSink: { address, request in
                var encoder = EncoderOptions()
                encoder.crf = request.crf
                let context = SinkFactory.Context(frameRate: request.frameRate, encoder: encoder, sdpPath: nil, logger: logger)
                return try SinkFactory.make(address, context: context)
            },
            loadImage: { path, width, height in
                try BackgroundPicture.load(path: path, width: width, height: height)
            })
    }
}
