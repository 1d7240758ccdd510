import BackdropCore
import Segmentation
import Foundation
import TestSupport

/// A dark textured blob with hair-like strands (2-3 px wide) over a textured background, with
/// webcam-like noise, its exact alpha, and a simulated segmentation model's output.
///
/// The foreground is a sprite moved by whole pixels, so every frame's alpha is exact: it is the
/// coverage of a signed distance field with a one-pixel ramp, clamp(0.5 - distance, 0, 1), and the
/// picture is made from that same alpha.
struct SyntheticScene: Sendable {
    let width: Int
    let height: Int
    let modelWidth: Int
    let modelHeight: Int
    /// Background luma in 0...255.
    let background: [Float]
    let spriteSize: Int
    let spriteAlpha: [Float]
    let spriteLuma: [Float]

    /// Camera luma and the exact alpha of the foreground.
    struct Frame: Sendable {
        let luma: [UInt8]
        let alpha: [Float]
    }

    /// The defaults have the geometry of a 1280x720 camera under the 256x144 model (five frame
    /// pixels per mask pixel, strands half a mask pixel wide) at a quarter of the pixels, which keeps
    /// debug-build tests fast.
    init(width: Int = 640, height: Int = 360, modelWidth: Int = 128, modelHeight: Int = 72, seed: UInt64 = 7) {
        (self.width, self.height, self.modelWidth, self.modelHeight) = (width, height, modelWidth, modelHeight)
        var background = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let (fx, fy) = (Float(x), Float(y))
                background[y * width + x] = 160 + 28 * sin(0.045 * fx + 0.8) * cos(0.061 * fy)
                    + 14 * sin(0.37 * fx + 0.23 * fy) + 8 * cos(0.71 * fy - 0.19 * fx)
            }
        }
        self.background = background

        // A disc, and strands: polylines of three capsules leaving its upper half.
        var random = SplitMix64(seed: seed)
        let radius = 0.15 * Float(height)
        var capsules: [(ax: Float, ay: Float, bx: Float, by: Float, halfWidth: Float)] = []
        var reach: Float = radius
        for strand in 0..<9 {
            var angle = Float.pi * (1.1 + 0.8 * Float(strand) / 8) + 0.1 * (random.uniform() - 0.5)
            var (px, py) = ((radius - 3) * cos(angle), (radius - 3) * sin(angle))
            let halfWidth = 1 + 0.5 * random.uniform()
            var length: Float = radius - 3
            for _ in 0..<3 {
                let step = Float(height) * (0.022 + 0.017 * random.uniform())
                angle += 0.7 * (random.uniform() - 0.5)
                let (qx, qy) = (px + step * cos(angle), py + step * sin(angle))
                capsules.append((px, py, qx, qy, halfWidth))
                (px, py) = (qx, qy)
                length += step
            }
            reach = max(reach, length + halfWidth)
        }
        let size = 2 * Int(reach.rounded(.up)) + 8
        let centre = Float(size) / 2
        var alpha = [Float](repeating: 0, count: size * size)
        var luma = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let (fx, fy) = (Float(x) + 0.5 - centre, Float(y) + 0.5 - centre)
                var distance = (fx * fx + fy * fy).squareRoot() - radius
                for c in capsules {
                    let (dx, dy, ex, ey) = (c.bx - c.ax, c.by - c.ay, fx - c.ax, fy - c.ay)
                    let t = min(max((ex * dx + ey * dy) / (dx * dx + dy * dy), 0), 1)
                    let (rx, ry) = (ex - t * dx, ey - t * dy)
                    distance = min(distance, (rx * rx + ry * ry).squareRoot() - c.halfWidth)
                }
                alpha[y * size + x] = min(max(0.5 - distance, 0), 1)
                luma[y * size + x] = 55 + 14 * sin(0.31 * fx + 0.17 * fy) * cos(0.23 * fy - 0.11 * fx)
            }
        }
        (spriteSize, spriteAlpha, spriteLuma) = (size, alpha, luma)
    }

    /// The frame with the sprite's top-left corner at (`x`, `y`) and Gaussian-like noise of
    /// standard deviation `noise` luma levels.
    func render(spriteX: Int, spriteY: Int, noise: Float, seed: UInt64) -> Frame {
        var alpha = [Float](repeating: 0, count: width * height)
        var luma = [UInt8](repeating: 0, count: width * height)
        var random = SplitMix64(seed: seed)
        let size = spriteSize
        // Buffer pointers: this runs for every test frame in debug builds.
        background.withUnsafeBufferPointer { background in
            spriteAlpha.withUnsafeBufferPointer { spriteAlpha in
                spriteLuma.withUnsafeBufferPointer { spriteLuma in
                    alpha.withUnsafeMutableBufferPointer { alpha in
                        luma.withUnsafeMutableBufferPointer { luma in
                            for y in 0..<height {
                                for x in 0..<width {
                                    let (i, sx, sy) = (y * width + x, x - spriteX, y - spriteY)
                                    var value = background[i]
                                    if sx >= 0, sy >= 0, sx < size, sy < size {
                                        let a = spriteAlpha[sy * size + sx]
                                        alpha[i] = a
                                        value += a * (spriteLuma[sy * size + sx] - value)
                                    }
                                    value += noise * random.normal()
                                    luma[i] = UInt8(min(max(value.rounded(), 0), 255))
                                }
                            }
                        }
                    }
                }
            }
        }
        return Frame(luma: luma, alpha: alpha)
    }

    /// A stand-in for the segmentation model: `alpha` area-averaged to model size, plus flicker of
    /// strength `flicker` that is strongest on edges and spatially smooth there, as real models are.
    func modelMask(for alpha: [Float], flicker: Float, softness: Int = 0, seed: UInt64) -> Mask {
        var values = Self.areaAverage(alpha, width: width, height: height, toWidth: modelWidth, toHeight: modelHeight)
        for _ in 0..<softness { values = Self.binomialBlur(values, width: modelWidth, height: modelHeight) }
        var random = SplitMix64(seed: seed)
        let cell = 16
        let (fieldWidth, fieldHeight) = (modelWidth / cell + 2, modelHeight / cell + 2)
        let field = (0..<fieldWidth * fieldHeight).map { _ in random.normal() }
        for y in 0..<modelHeight {
            for x in 0..<modelWidth {
                let (gx, gy) = (Float(x) / Float(cell), Float(y) / Float(cell))
                let (ix, iy) = (Int(gx), Int(gy))
                let (wx, wy) = (gx - Float(ix), gy - Float(iy))
                let top = field[iy * fieldWidth + ix] + wx * (field[iy * fieldWidth + ix + 1] - field[iy * fieldWidth + ix])
                let bottom = field[(iy + 1) * fieldWidth + ix]
                    + wx * (field[(iy + 1) * fieldWidth + ix + 1] - field[(iy + 1) * fieldWidth + ix])
                let smooth = top + wy * (bottom - top)
                let v = values[y * modelWidth + x]
                let noisy = v + flicker * (0.25 * random.normal() + 4 * v * (1 - v) * smooth)
                values[y * modelWidth + x] = min(max(noisy, 0), 1)
            }
        }
        return Mask(width: modelWidth, height: modelHeight, values: values)
    }

    /// One pass of the separable [1 2 1] / 4 kernel, edges repeated.
    static func binomialBlur(_ values: [Float], width: Int, height: Int) -> [Float] {
        var rows = values
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width
                rows[i + x] = (values[i + max(x - 1, 0)] + 2 * values[i + x] + values[i + min(x + 1, width - 1)]) / 4
            }
        }
        var output = rows
        for y in 0..<height {
            for x in 0..<width {
                output[y * width + x] = (rows[max(y - 1, 0) * width + x] + 2 * rows[y * width + x]
                    + rows[min(y + 1, height - 1) * width + x]) / 4
            }
        }
        return output
    }

    /// Exact area average (fractional pixel overlaps), separable.
    static func areaAverage(_ values: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
        func taps(_ n: Int, _ m: Int) -> [[(index: Int, weight: Float)]] {
            let scale = Double(n) / Double(m)
            return (0..<m).map { d in
                let (lo, hi) = (Double(d) * scale, Double(d + 1) * scale)
                return (Int(lo)..<min(n, Int(hi.rounded(.up)))).map { i in
                    (i, Float((min(hi, Double(i + 1)) - max(lo, Double(i))) / scale))
                }
            }
        }
        let (xTaps, yTaps) = (taps(width, toWidth), taps(height, toHeight))
        var rows = [Float](repeating: 0, count: toWidth * height)
        for y in 0..<height {
            for x in 0..<toWidth {
                var sum: Float = 0
                for tap in xTaps[x] { sum += tap.weight * values[y * width + tap.index] }
                rows[y * toWidth + x] = sum
            }
        }
        var output = [Float](repeating: 0, count: toWidth * toHeight)
        for y in 0..<toHeight {
            for tap in yTaps[y] {
                for x in 0..<toWidth { output[y * toWidth + x] += tap.weight * rows[tap.index * toWidth + x] }
            }
        }
        return output
    }
}

/// The shared test sequence: the sprite still for `stillCount` frames, then moving by `velocity`
/// pixels per frame, each frame with its model mask.
struct SceneSequence: Sendable {
    let scene: SyntheticScene
    let frames: [SyntheticScene.Frame]
    let modelMasks: [Mask]
    let stillCount: Int
    let velocity: (x: Int, y: Int)

    static let standard = SceneSequence(stillCount: 8, movingCount: 8, velocity: (4, 1))

    init(scene: SyntheticScene = SyntheticScene(), stillCount: Int, movingCount: Int, velocity: (x: Int, y: Int),
         noise: Float = 4, flicker: Float = 0.12, softness: Int = 0) {
        var frames: [SyntheticScene.Frame] = []
        var masks: [Mask] = []
        let start = (x: scene.width / 2 - scene.spriteSize / 2 - velocity.x * movingCount / 2,
                     y: scene.height - scene.spriteSize + 10 - velocity.y * movingCount)
        for t in 0..<(stillCount + movingCount) {
            let moved = max(0, t - stillCount + 1)
            let frame = scene.render(spriteX: start.x + moved * velocity.x, spriteY: start.y + moved * velocity.y,
                                     noise: noise, seed: 1000 + UInt64(t))
            frames.append(frame)
            masks.append(scene.modelMask(for: frame.alpha, flicker: flicker, softness: softness, seed: 2000 + UInt64(t)))
        }
        (self.scene, self.frames, self.modelMasks) = (scene, frames, masks)
        (self.stillCount, self.velocity) = (stillCount, velocity)
    }

    /// The frame's luma area-averaged to model size: the guide `TemporalSmoother` takes.
    func modelGuide(_ t: Int) -> [Float] {
        MaskResampling.areaAverage(frames[t].luma, width: scene.width, height: scene.height,
                                   toWidth: scene.modelWidth, toHeight: scene.modelHeight)
    }
}
