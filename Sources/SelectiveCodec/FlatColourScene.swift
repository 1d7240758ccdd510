import BackdropCore

/// Scene format 0: a background of one colour, the mean of the room (the pixels the mask calls
/// background), coarsely quantized so camera noise does not make a new scene every frame. Three
/// bytes, Y U V. The fallback when no scene analysis is plugged in; nothing of the room but its
/// average colour leaves the machine.
public final class FlatColourScene: SceneProvider {
    public static let format: UInt8 = 0
    /// Colour steps: a new scene only when the mean moves by more than this many levels.
    public let step: Int
    private var current: [UInt8]?

    public init(step: Int = 8) {
        precondition(step >= 1, "step must be positive")
        self.step = step
    }

    public func scene(for frame: VideoFrame, personMask: BinaryMask) throws -> SceneSnapshot {
        let mean = Self.backgroundMean(frame, mask: personMask)
        // Hysteresis: keep the current colour until the mean is a whole step away from it.
        if let current, zip(current, mean).allSatisfy({ abs(Int($0) - $1) < step }) {
            return SceneSnapshot(format: Self.format, description: current)
        }
        let quantized = mean.map { UInt8(min(255, max(0, ($0 + step / 2) / step * step))) }
        current = quantized
        return SceneSnapshot(format: Self.format, description: quantized)
    }

    /// Mean Y, U, V over the pixels whose mask pixel is background (the whole frame if none is),
    /// sampled on the mask's grid.
    static func backgroundMean(_ frame: VideoFrame, mask: BinaryMask) -> [Int] {
        var sums = [0, 0, 0], count = 0
        let columns = (0..<mask.width).map { min(frame.width - 1, (2 * $0 + 1) * frame.width / (2 * mask.width)) }
        func accumulate(requireBackground: Bool) {
            for my in 0..<mask.height {
                let y = min(frame.height - 1, (2 * my + 1) * frame.height / (2 * mask.height))
                for mx in 0..<mask.width where !requireBackground || mask.bits[my * mask.width + mx] == 0 {
                    let x = columns[mx]
                    sums[0] += Int(frame.y[y * frame.width + x])
                    let c = (y / 2) * frame.chromaWidth + x / 2
                    sums[1] += Int(frame.u[c])
                    sums[2] += Int(frame.v[c])
                    count += 1
                }
            }
        }
        accumulate(requireBackground: true)
        if count == 0 { accumulate(requireBackground: false) }
        return sums.map { $0 / max(1, count) }
    }

    /// Renders format 0.
    public struct Renderer: SceneRenderer {
        public init() {}

        public func render(_ description: [UInt8], width: Int, height: Int) throws -> VideoFrame {
            guard description.count == 3 else {
                throw SelectiveCodecError.sceneFailed(reason: "a flat-colour scene is 3 bytes (Y, U, V), got \(description.count)")
            }
            return VideoFrame(width: width, height: height, fillY: description[0], fillU: description[1], fillV: description[2])
        }
    }
}
