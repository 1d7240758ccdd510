import BackdropCore
import VirtualCamera

extension SinkFactory {
    /// Virtual camera and network sinks.
    static func makeDevice(_ address: SinkAddress, context: Context) throws -> any FrameSink {
        switch address {
        case let .virtualCamera(device):
            // `vcam:/dev/video10?format=yuv420` picks the layout; YUYV is what every app reads.
            let parts = device.split(separator: "?", maxSplits: 1).map(String.init)
            var format = LoopbackFormat.yuyv
            if parts.count == 2 {
                guard parts[1].hasPrefix("format="), let chosen = LoopbackFormat(name: String(parts[1].dropFirst(7))) else {
                    throw Unavailable(sink: address.description, reason: "option '\(parts[1])' is not format=yuyv or format=yuv420")
                }
                format = chosen
            }
            return try LoopbackSink(device: parts[0], format: format, logger: context.logger)
        default:
            return try makeNetwork(address, context: context)
        }
    }
}
