import BackdropCore
import CFFmpeg
import Logging
import Segmentation

/// Encodes frames and their person masks into the selective stream (docs/bitstream-selective.md):
/// the picture padded outside the preserved region, the mask and the scene in SEI messages,
/// to a file or RTP. With `options.selective` off, plain whole-frame H.264 with the same settings.
///
/// One instance per stream; not thread-safe (it owns the encoder and the muxer).
public final class SelectiveEncoder {
    /// Where the stream goes.
    public enum Destination: Sendable, Equatable {
        case file(path: String)
        /// RTP to HOST:PORT, SRTP with `encryption`; the SDP is written to `sdpPath` when given
        /// (readable by the owner only when it holds a key).
        case rtp(host: String, port: Int, sdpPath: String?, encryption: SRTPEncryption? = nil)
    }

    /// What happened to one frame.
    public struct FrameResult: Sendable {
        public var sequence: UInt16
        public var keyframe: Bool
        /// The mask as coded (what a receiver decodes).
        public var mask: BinaryMask
        public var sceneID: UInt16
        /// Whether a scene keyframe went with this frame.
        public var sentScene: Bool
        /// CPU time of the selective steps (scene, mask coding, padding, quantiser map).
        public var preparationSeconds: Double
        /// Wall time in libx264 (which runs its own threads).
        public var encodeSeconds: Double
    }

    public let width: Int
    public let height: Int
    public let frameRate: Rational
    public let options: SelectiveEncoderOptions
    public var name: String { muxer.name }
    /// The session description, for RTP.
    public var sdp: String? { muxer.sdp }
    public private(set) var bytes = StreamBytes()
    public private(set) var framesEncoded = 0
    /// The scene keyframe last sent (what a receiver synthesizes its background from).
    public private(set) var currentScene: SceneKeyframe?
    /// Packets that could not be sent (RTP with nobody listening).
    public var sendErrors: Int { muxer.sendErrors }

    private let encoder: H264Encoder
    private let muxer: PacketMuxer
    private let sceneProvider: any SceneProvider
    private let padder: BackgroundPadder
    private let keyframeInterval: Int
    private let logger: Logger
    private var coder = MaskCoder()
    /// Scratch of `codingSize(_:)`: a larger mask in 8-bit levels, and averaged to the coding size.
    private var levels: [UInt8] = []
    private var averaged: [Float] = []
    /// The last mask coded, which `encode(_:mask:)`'s hysteresis holds on to.
    private var lastMask: BinaryMask?
    private var sequence: UInt16 = 0
    private var lastPts: Int64?
    private var sceneKeyframes = 0
    private var largestScene = 0
    private var preparationTimes: [Double] = []
    private var encodeTimes: [Double] = []
    private var finished = false

    /// `timeBase` is the unit of the frames' pts (a file keeps it; RTP uses its 90 kHz clock).
    /// `scene` nil uses `RoomScene` (the room's own label map), analysed in line for a file and
    /// on its own thread for RTP.
    public init(destination: Destination, width: Int, height: Int, frameRate: Rational, timeBase: Rational,
                options: SelectiveEncoderOptions = SelectiveEncoderOptions(), scene: (any SceneProvider)? = nil,
                logger: Logger) throws {
        try options.validate()
        guard frameRate.isValid else {
            throw SelectiveCodecError.invalidOption(name: "frame rate", value: "\(frameRate)", expected: "a positive rate such as 30/1")
        }
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.options = options
        self.logger = logger
        if case .rtp = destination {
            sceneProvider = scene ?? RoomScene(asynchronous: true)
        } else {
            sceneProvider = scene ?? RoomScene()
        }
        padder = BackgroundPadder(mode: options.padding)
        keyframeInterval = max(1, Int((options.keyframeInterval * frameRate.doubleValue).rounded()))
        let muxDestination: PacketMuxer.Destination
        let encoderTimeBase: Rational
        switch destination {
        case let .file(path):
            muxDestination = .file(path: path)
            encoderTimeBase = timeBase.isValid ? timeBase : Rational(frameRate.denominator, frameRate.numerator)
        case let .rtp(host, port, sdpPath, encryption):
            muxDestination = .rtp(host: host, port: port, sdpPath: sdpPath, encryption: encryption)
            encoderTimeBase = PacketMuxer.rtpClock
        }
        var encoderOptions = options
        if case .rtp = destination { encoderOptions.live = true }
        encoder = try H264Encoder(width: width, height: height, frameRate: frameRate, timeBase: encoderTimeBase,
                                  options: encoderOptions, globalHeader: true)
        muxer = try PacketMuxer(destination: muxDestination, encoder: encoder, frameRate: frameRate,
                                packetSize: options.packetSize, logger: logger)
        logger.debug("selective encoder", metadata: [
            "output": "\(muxer.name)", "size": "\(width)x\(height)", "rate": "\(frameRate)",
            "selective": "\(options.selective)", "padding": "\(options.padding.rawValue)",
            "keyint": "\(keyframeInterval)",
        ])
    }

    /// Encodes `frame` with its person `mask` (a probability, at the model's size; a larger one
    /// is area-averaged to fit `options.maskMaximumSide` first), binarized at 0.5.
    @discardableResult
    public func encode(_ frame: VideoFrame, mask: Mask) throws -> FrameResult {
        let binary = BinaryMask(codingSize(mask), holding: lastMask, band: options.maskHysteresis)
        return try encode(frame, binaryMask: binary)
    }

    /// Encodes `frame` with an already binarized mask.
    @discardableResult
    public func encode(_ frame: VideoFrame, binaryMask mask: BinaryMask) throws -> FrameResult {
        guard !finished else { throw SelectiveCodecError.finished(name: name) }
        guard frame.width == width, frame.height == height else {
            throw SelectiveCodecError.invalidSize(width: frame.width, height: frame.height,
                                                  reason: "the stream is \(width)x\(height); scale frames first")
        }
        guard mask.width <= BinaryMask.maximumSide, mask.height <= BinaryMask.maximumSide else {
            throw SelectiveCodecError.invalidSize(width: mask.width, height: mask.height,
                                                  reason: "masks are at most \(BinaryMask.maximumSide) per side")
        }
        let keyframe = framesEncoded % keyframeInterval == 0
        lastMask = mask
        let start = MonotonicClock.threadCPUTime()
        var picture = frame
        var sei: [[UInt8]] = []
        var runs: [(row: Int, start: Int, end: Int)] = []
        var sentScene = false
        if options.selective {
            let snapshot = try sceneProvider.scene(for: frame, personMask: mask)
            let changed = currentScene.map { $0.format != snapshot.format || $0.description != snapshot.description } ?? true
            if changed {
                let id = currentScene.map { $0.sceneID &+ 1 } ?? 0
                currentScene = SceneKeyframe(sceneID: id, frameWidth: width, frameHeight: height, boxes: options.boxes,
                                             format: snapshot.format, description: snapshot.description)
            }
            if changed || keyframe, let scene = currentScene {
                sei.append(SideDataMessage.sceneKeyframe(scene).payload())
                sentScene = true
            }
            let message = coder.encode(mask, sequence: sequence, intra: keyframe)
            sei.append(SideDataMessage.mask(message).payload())
            let region = PreservedRegion(mask: mask, margin: options.margin, boxes: options.boxes,
                                         frameWidth: width, frameHeight: height)
            let weights = padder.pad(&picture, region: region, refresh: keyframe)
            if options.backgroundQuantizerOffset != nil {
                runs = weights.withUnsafeBufferPointer { region.backgroundMacroblockRuns(weights: $0.baseAddress!) }
            }
        }
        let prepared = MonotonicClock.threadCPUTime()
        let encodeStart = MonotonicClock.now()
        try encoder.encode(picture, pts: nextPts(for: frame), keyframe: keyframe, sei: sei, backgroundRuns: runs,
                           quantizerOffset: options.backgroundQuantizerOffset, output: writePacket)
        let encoded = MonotonicClock.now()
        preparationTimes.append(prepared - start)
        encodeTimes.append(encoded - encodeStart)
        let result = FrameResult(sequence: sequence, keyframe: keyframe, mask: mask, sceneID: currentScene?.sceneID ?? 0,
                                 sentScene: sentScene, preparationSeconds: prepared - start, encodeSeconds: encoded - encodeStart)
        framesEncoded += 1
        sequence &+= 1
        return result
    }

    /// Flushes, finishes the file or ends the RTP session, and returns the totals. Idempotent.
    @discardableResult
    public func finish() throws -> SelectiveEncoderStats {
        if !finished {
            finished = true
            try encoder.flush(output: writePacket)
            try muxer.finish()
        }
        return stats
    }

    /// Totals so far.
    public var stats: SelectiveEncoderStats {
        SelectiveEncoderStats(frames: framesEncoded, width: width, height: height,
                              seconds: Double(framesEncoded) / frameRate.doubleValue, bytes: bytes,
                              sceneKeyframes: sceneKeyframes, largestSceneKeyframeBytes: largestScene,
                              preparationMilliseconds: Statistics(preparationTimes.map { $0 * 1000 }),
                              encodeMilliseconds: Statistics(encodeTimes.map { $0 * 1000 }))
    }

    private func writePacket(_ packet: UnsafeMutablePointer<AVPacket>) throws {
        let before = bytes.scene
        bytes.add(annexB: UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
        if bytes.scene > before {
            sceneKeyframes += 1
            largestScene = max(largestScene, bytes.scene - before)
        }
        try muxer.write(packet, timeBase: encoder.timeBase)
    }

    private func codingSize(_ mask: Mask) -> Mask {
        let side = options.maskMaximumSide
        if max(mask.width, mask.height) <= side { return mask }
        let scale = Double(side) / Double(max(mask.width, mask.height))
        let width = max(1, Int((Double(mask.width) * scale).rounded())), height = max(1, Int((Double(mask.height) * scale).rounded()))
        // Both buffers are kept across frames: a pipeline hands over a full-frame mask every frame.
        if levels.count != mask.values.count { levels = [UInt8](repeating: 0, count: mask.values.count) }
        mask.values.withUnsafeBufferPointer { values in
            levels.withUnsafeMutableBufferPointer { levels in
                for i in 0..<values.count { levels[i] = UInt8(max(0, min(255, values[i] * 255 + 0.5))) }
            }
        }
        MaskResampling.areaAverage(levels, width: mask.width, height: mask.height, toWidth: width, toHeight: height,
                                   into: &averaged)
        return Mask(width: width, height: height, values: averaged.map { $0 / 255 })
    }

    /// The frame's pts in the encoder's time base, nudged forward if it would not increase.
    private func nextPts(for frame: VideoFrame) -> Int64 {
        let target = encoder.timeBase
        var pts = frame.timeBase.isValid
            ? av_rescale_q(frame.pts, frame.timeBase.av, target.av)
            : (lastPts ?? -1) + 1
        if let last = lastPts, pts <= last {
            logger.debug("\(name): frame timestamps do not increase; shifting them")
            pts = last + 1
        }
        lastPts = pts
        return pts
    }
}
