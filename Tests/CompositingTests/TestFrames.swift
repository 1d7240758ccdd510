import BackdropCore
import TestSupport

enum TestFrames {
    static func random(width: Int, height: Int, seed: UInt64) -> VideoFrame {
        var rng = SplitMix64(seed: seed)
        let chroma = ((width + 1) / 2) * ((height + 1) / 2)
        func plane(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        return VideoFrame(width: width, height: height, y: plane(width * height), u: plane(chroma), v: plane(chroma),
                          pts: 42, timeBase: Rational(1, 90000))
    }

    static func randomMask(width: Int, height: Int, seed: UInt64) -> Mask {
        var rng = SplitMix64(seed: seed)
        return Mask(width: width, height: height,
                    values: (0..<(width * height)).map { _ in Float.random(in: 0...1, using: &rng) })
    }

    /// Squares of `cell` pixels alternating between `low` and `high`, in every plane.
    static func checkerboard(width: Int, height: Int, cell: Int, low: UInt8, high: UInt8) -> VideoFrame {
        func plane(_ w: Int, _ h: Int, _ cell: Int) -> [UInt8] {
            (0..<(w * h)).map { i in ((i % w) / cell + (i / w) / cell) % 2 == 0 ? low : high }
        }
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        return VideoFrame(width: width, height: height, y: plane(width, height, cell),
                          u: plane(cw, ch, max(1, cell / 2)), v: plane(cw, ch, max(1, cell / 2)))
    }

    static func mean(_ plane: [UInt8]) -> Double {
        Double(plane.reduce(0) { $0 + Int($1) }) / Double(plane.count)
    }

    /// Sum of squared differences between horizontal and vertical neighbours.
    static func highFrequencyEnergy(_ plane: [UInt8], width: Int, height: Int) -> Double {
        var energy = 0.0
        for y in 0..<height {
            for x in 0..<width {
                let p = Double(plane[y * width + x])
                if x + 1 < width { energy += (p - Double(plane[y * width + x + 1])) * (p - Double(plane[y * width + x + 1])) }
                if y + 1 < height { energy += (p - Double(plane[(y + 1) * width + x])) * (p - Double(plane[(y + 1) * width + x])) }
            }
        }
        return energy
    }

    static let oddAndEvenSizes = [(1, 1), (2, 2), (4, 2), (2, 4), (3, 3), (5, 7), (6, 5), (17, 9), (64, 36), (65, 37)]
}
