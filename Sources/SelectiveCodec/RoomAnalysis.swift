import BackdropCore
import Scene

/// The plate, the analysis and the serialized description of the current scene.
final class RoomAnalysis {
    private let synthesizer: SceneSynthesizer
    private var version = -1
    private(set) var bytes: [UInt8]?

    init(options: SceneSynthesizer.Options) {
        synthesizer = SceneSynthesizer(options: options)
    }

    func update(_ frame: VideoFrame, _ mask: BinaryMask) throws {
        // The receiver synthesizes; the sender needs only the description.
        guard let scene = synthesizer.describe(frame, mask: mask.probability), synthesizer.sceneVersion != version else { return }
        do {
            bytes = try SceneEncoder.encode(scene)
        } catch {
            throw SelectiveCodecError.sceneFailed(reason: "\(error)")
        }
        version = synthesizer.sceneVersion
    }
}
