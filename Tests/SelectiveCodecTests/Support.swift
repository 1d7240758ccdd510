import BackdropCore
import Foundation
import Logging
import Media
import SelectiveCodec
import TestSupport

/// A synthetic talking head: an ellipse "person" (skin-coloured, textured) moving sideways over a
/// textured room with per-frame noise, and its exact mask at mask resolution.
struct SyntheticScene {
    let width: Int
    let height: Int
    let maskWidth: Int
    let maskHeight: Int

    init(width: Int = 160, height: Int = 96, maskWidth: Int = 64, maskHeight: Int = 36) {
        self.width = width
        self.height = height
        self.maskWidth = maskWidth
        self.maskHeight = maskHeight
    }

    /// The person's centre and radii in normalised coordinates at frame `index`.
    func ellipse(_ index: Int) -> (cx: Double, cy: Double, rx: Double, ry: Double) {
        (0.5 + 0.15 * sin(Double(index) * 0.2), 0.65, 0.18, 0.4)
    }

    func inside(_ x: Double, _ y: Double, frame index: Int) -> Bool {
        let e = ellipse(index)
        let dx = (x - e.cx) / e.rx, dy = (y - e.cy) / e.ry
        return dx * dx + dy * dy <= 1
    }

    func mask(_ index: Int) -> BinaryMask {
        var bits = [UInt8](repeating: 0, count: maskWidth * maskHeight)
        for my in 0..<maskHeight {
            for mx in 0..<maskWidth where inside((Double(mx) + 0.5) / Double(maskWidth), (Double(my) + 0.5) / Double(maskHeight), frame: index) {
                bits[my * maskWidth + mx] = 1
            }
        }
        return BinaryMask(width: maskWidth, height: maskHeight, bits: bits)
    }

    func frame(_ index: Int, timeBase: Rational = Rational(1, 15)) -> VideoFrame {
        var random = SplitMix64(seed: UInt64(index) &* 7919 &+ 1)
        var frame = VideoFrame(width: width, height: height, fillY: 0, fillU: 128, fillV: 128, pts: Int64(index), timeBase: timeBase)
        for y in 0..<height {
            for x in 0..<width {
                let person = inside((Double(x) + 0.5) / Double(width), (Double(y) + 0.5) / Double(height), frame: index)
                let texture = person ? 150 + ((x / 3 + y / 2) % 5) * 8 : 60 + ((x / 8 + y / 8) % 2) * 80
                frame.y[y * width + x] = UInt8(clamping: texture + random.int(-6..<7))
                if x % 2 == 0 && y % 2 == 0 {
                    let c = (y / 2) * frame.chromaWidth + x / 2
                    frame.u[c] = person ? 110 : 140
                    frame.v[c] = person ? 150 : 120
                }
            }
        }
        return frame
    }

    /// The frame-size region of the person (for quality inside it).
    func region(_ index: Int) -> [UInt8] {
        var region = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width where inside((Double(x) + 0.5) / Double(width), (Double(y) + 0.5) / Double(height), frame: index) {
                region[y * width + x] = 1
            }
        }
        return region
    }

    var options: SelectiveEncoderOptions { SelectiveEncoderOptions() }
}
