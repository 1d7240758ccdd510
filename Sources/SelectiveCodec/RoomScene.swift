import BackdropCore
import Scene

/// Scene format 1: the room's own label map and appearance, as the Scene module analyses and
/// serializes it (docs/bitstream.md). The sender keeps a plate of the room and re-analyses it
/// when due (`SceneSynthesizer`'s policy); the receiver synthesizes the background from the
/// bytes, deterministically, so both sides get the same pixels. At levels L0 and L1 only
/// statistics of the room leave the machine.
///
/// Live, the analysis runs on its own thread (an analysis at 720p takes ~100 ms, several frame
/// intervals): the encoder sends whatever description is ready and never waits; until the first
/// one is, the room's mean colour (format 0) stands in. Offline it runs in line, so an encode
/// is reproducible.
public final class RoomScene: SceneProvider {
    public static let format: UInt8 = 1
    /// The plate sees every n-th frame: it is a slow running average, and updating it at full
    /// resolution is the scene's largest steady cost.
    public let updateInterval: Int
    public let asynchronous: Bool
    private let analysis: RoomAnalysis
    private let worker: RoomAnalysisWorker?
    private let fallback = FlatColourScene()
    private var frames = 0

    public init(options: SceneSynthesizer.Options = SceneSynthesizer.Options(), updateInterval: Int = 4,
                asynchronous: Bool = false) {
        precondition(updateInterval >= 1, "updateInterval must be positive")
        self.updateInterval = updateInterval
        self.asynchronous = asynchronous
        analysis = RoomAnalysis(options: options)
        worker = asynchronous ? RoomAnalysisWorker(analysis: analysis) : nil
    }

    deinit {
        worker?.stop()
    }

    public func scene(for frame: VideoFrame, personMask: BinaryMask) throws -> SceneSnapshot {
        defer { frames += 1 }
        let due = frames % updateInterval == 0
        var bytes: [UInt8]?
        if let worker {
            if due { worker.offer(frame, personMask) }
            bytes = try worker.latest()
        } else {
            if due || analysis.bytes == nil { try analysis.update(frame, personMask) }
            bytes = analysis.bytes
        }
        guard let bytes else { return try fallback.scene(for: frame, personMask: personMask) }
        return SceneSnapshot(format: Self.format, description: bytes)
    }

    /// Renders format 1; keeps the synthesizer's noise tables between scenes.
    public final class Renderer: SceneRenderer {
        private let synthesizer = BackgroundSynthesizer()

        public init() {}

        public func render(_ description: [UInt8], width: Int, height: Int) throws -> VideoFrame {
            do {
                return try synthesizer.synthesize(try SceneDecoder.decode(description), width: width, height: height)
            } catch {
                throw SelectiveCodecError.sceneFailed(reason: "\(error)")
            }
        }
    }
}
