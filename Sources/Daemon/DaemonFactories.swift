import BackdropCore
import Segmentation

/// How the daemon makes what it runs. The executable fills in the sources and sinks this module
/// cannot see (V4L2 capture, the virtual camera, RTP) and the picture loader; tests substitute
/// their own.
public struct DaemonFactories: Sendable {
    /// What a source is asked for.
    public struct SourceRequest: Sendable, Equatable {
        public var input: String
        public var realtime: Bool
        public var loop: Bool
        /// The capture size asked of a camera.
        public var width: Int
        public var height: Int
    }

    /// What a sink is made with.
    public struct SinkRequest: Sendable, Equatable {
        public var frameRate: Rational
        /// x264 quality for file sinks.
        public var crf: Int
    }

    public var makeSource: @Sendable (SourceRequest) throws -> any FrameSource
    public var makeSink: @Sendable (SinkAddress, SinkRequest) throws -> any FrameSink
    /// Loads a background picture fitted to `width` x `height`.
    public var loadImage: @Sendable (_ path: String, _ width: Int, _ height: Int) throws -> VideoFrame
    public var makeSegmenter: @Sendable (_ model: String, _ threads: Int) throws -> any FrameSegmenter
    /// Watches the readers of a virtual camera, for on-demand capture.
    public var makeConsumerMonitor: @Sendable (_ device: String) throws -> any ConsumerMonitor

    public init(makeSource: @escaping @Sendable (SourceRequest) throws -> any FrameSource,
                makeSink: @escaping @Sendable (SinkAddress, SinkRequest) throws -> any FrameSink,
                loadImage: @escaping @Sendable (String, Int, Int) throws -> VideoFrame,
                makeSegmenter: @escaping @Sendable (String, Int) throws -> any FrameSegmenter = {
                    try PersonSegmenter(model: $0, threads: $1)
                },
                makeConsumerMonitor: @escaping @Sendable (String) throws -> any ConsumerMonitor = {
                    try LoopbackConsumerMonitor(device: $0)
                }) {
        self.makeSource = makeSource
        self.makeSink = makeSink
        self.loadImage = loadImage
        self.makeSegmenter = makeSegmenter
        self.makeConsumerMonitor = makeConsumerMonitor
    }

    /// Inputs worth waiting for when they cannot be opened: cameras and network streams come
    /// back; a missing file does not.
    public static func reopens(_ input: String) -> Bool {
        input.hasPrefix("/dev/video") || input.hasPrefix("/dev/v4l/") || input.hasPrefix("camera:") || input.contains("://")
    }
}
