import BackdropCore
import Foundation
@testable import Scene

/// Scenes and rooms the tests share.
enum TestScenes {
    /// A room-like layout on a `width` x `height` grid: wall, floor, a window with a frame, a
    /// shelf, a desk and a door; 6 labels.
    static func roomLayout(width: Int, height: Int) -> LabelMap {
        var map = LabelMap(width: width, height: height)
        func fill(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ label: UInt8) {
            for y in Int(y0 * Double(height))..<Int(y1 * Double(height)) {
                for x in Int(x0 * Double(width))..<Int(x1 * Double(width)) { map[x, y] = label }
            }
        }
        fill(0, 0.7, 1, 1, 1)          // floor
        fill(0.08, 0.12, 0.38, 0.5, 2) // window
        fill(0.62, 0.1, 0.9, 0.62, 3)  // shelf
        fill(0.3, 0.55, 0.7, 0.72, 4)  // desk
        fill(0.45, 0.2, 0.55, 0.55, 5) // door
        return map.canonicallyNumbered().map
    }

    /// In the layout's label order: wall, shelf of books, window with blinds, door, desk, carpet.
    static let appearances: [LabelAppearance] = [
        LabelAppearance.reproducible(lab: (80, 1, 9), shading: [2, -8, -6, 0, -3], energy: [1.2, 1.5, 2],
                        orientationDegrees: 0, anisotropy: 0.1),
        LabelAppearance.reproducible(lab: (45, 14, 26), energy: [5, 7, 8], orientationDegrees: 90, anisotropy: 0.6),
        LabelAppearance.reproducible(lab: (70, -8, -25), shading: [0, 8, 0, 0, 0], energy: [1, 2.5, 4],
                        orientationDegrees: 0, anisotropy: 0.8),
        LabelAppearance.reproducible(lab: (40, 4, 8), shading: [0, 5, -4, 0, 0], energy: [3, 3.5, 3],
                        orientationDegrees: 90, anisotropy: 0.5),
        LabelAppearance.reproducible(lab: (58, 12, 32), energy: [2, 3.5, 4.5], orientationDegrees: 0, anisotropy: 0.75),
        LabelAppearance.reproducible(lab: (30, 40, 20), energy: [2, 2, 2], orientationDegrees: 0, anisotropy: 0),
    ]

    /// The room layout with the shared appearances (labels renumbered by first occurrence,
    /// so appearances are in that order) and a few sketch lines.
    static func room(frameWidth: Int = 640, frameHeight: Int = 360, seed: UInt32 = 42, sketch: Bool = true) -> SceneDescription {
        let map = roomLayout(width: (frameWidth + 7) / 8, height: (frameHeight + 7) / 8)
        let segments = sketch ? [
            SketchSegment(x0: 500, y0: 1900, x1: 1560, y1: 1900, ridge: -20, step: 0),
            SketchSegment(x0: 2540, y0: 1400, x1: 3686, y1: 1400, ridge: 0, step: 12),
            SketchSegment(x0: 2540, y0: 2400, x1: 3686, y1: 2450, ridge: 15, step: -6),
        ] : []
        return SceneDescription(frameWidth: frameWidth, frameHeight: frameHeight, seed: seed, labels: map,
                                appearances: Array(appearances.prefix(map.labelCount)), sketch: segments)
    }

    /// A plate-like picture of a room, made without the synthesizer: flat regions of the
    /// given Y'CbCr colours, a vertical light fall-off, and Gaussian noise of `noise` code
    /// values (seeded), at `width` x `height`.
    static func photo(layout: LabelMap, colours: [(Double, Double, Double)], width: Int, height: Int,
                      noise: Double, seed: UInt64) -> VideoFrame {
        var random = SplitMix64(seed: seed)
        func gaussian() -> Double {
            let u1 = (Double(random.next() >> 11) + 1) / 9_007_199_254_740_992
            let u2 = Double(random.next() >> 11) / 9_007_199_254_740_992
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        var frame = VideoFrame(width: width, height: height, fillY: 0, fillU: 128, fillV: 128)
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
        for y in 0..<height {
            for x in 0..<width {
                let label = Int(layout.labels[layout.cellIndex(x: x, y: y, frameWidth: width, frameHeight: height)])
                let light = 6 * (0.5 - Double(y) / Double(height))
                frame.y[y * width + x] = byte(colours[label].0 + light + noise * gaussian())
            }
        }
        for y in 0..<frame.chromaHeight {
            for x in 0..<frame.chromaWidth {
                let label = Int(layout.labels[layout.cellIndex(x: min(width - 1, 2 * x), y: min(height - 1, 2 * y),
                                                               frameWidth: width, frameHeight: height)])
                frame.u[y * frame.chromaWidth + x] = byte(colours[label].1 + noise / 2 * gaussian())
                frame.v[y * frame.chromaWidth + x] = byte(colours[label].2 + noise / 2 * gaussian())
            }
        }
        return frame
    }

    static let photoColours: [(Double, Double, Double)] = [
        (180, 126, 131), (95, 118, 138), (200, 140, 118), (70, 110, 150), (130, 105, 150), (60, 120, 175),
    ]

    /// Per-pixel Lab of the mean R'G'B' over each label's interior pixels.
    static func meanLab(of frame: VideoFrame, labels: LabelMap) -> [(l: Double, a: Double, b: Double)?] {
        let regions = labels.interiorRegions(frameWidth: frame.width, frameHeight: frame.height)
        var sums = [[Double]](repeating: [0, 0, 0], count: labels.labelCount)
        var counts = [Int](repeating: 0, count: labels.labelCount)
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let region = Int(regions[y * frame.width + x])
                guard region < labels.labelCount else { continue }
                let c = (y / 2) * frame.chromaWidth + x / 2
                let rgb = ColorSpace.rgb(y: Double(frame.y[y * frame.width + x]), u: Double(frame.u[c]), v: Double(frame.v[c]))
                sums[region][0] += ColorSpace.clamp255(rgb.red)
                sums[region][1] += ColorSpace.clamp255(rgb.green)
                sums[region][2] += ColorSpace.clamp255(rgb.blue)
                counts[region] += 1
            }
        }
        return (0..<labels.labelCount).map { l in
            guard counts[l] > 0 else { return nil }
            let n = Double(counts[l])
            return ColorSpace.lab(red: sums[l][0] / n, green: sums[l][1] / n, blue: sums[l][2] / n)
        }
    }

    /// Adjusted Rand index of two labelings of the same cells (1 = identical up to numbering).
    static func adjustedRandIndex(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count)
        var table: [Int: Int] = [:], rows: [Int: Int] = [:], columns: [Int: Int] = [:]
        for i in a.indices {
            table[Int(a[i]) * 256 + Int(b[i]), default: 0] += 1
            rows[Int(a[i]), default: 0] += 1
            columns[Int(b[i]), default: 0] += 1
        }
        func pairs(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
        let index = table.values.reduce(0.0) { $0 + pairs($1) }
        let rowSum = rows.values.reduce(0.0) { $0 + pairs($1) }
        let columnSum = columns.values.reduce(0.0) { $0 + pairs($1) }
        let expected = rowSum * columnSum / pairs(a.count)
        let maximum = (rowSum + columnSum) / 2
        return maximum == expected ? 1 : (index - expected) / (maximum - expected)
    }
}
