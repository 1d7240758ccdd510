/// Everything the synthesizer draws from the seed (docs/bitstream.md §6.1): a pixel-scale noise
/// tile for the finest band, two smooth noise tables for the coarser bands, two dither tables,
/// and noise offsets per label. Draw order is part of the format.
struct NoiseField {
    static let latticeSide = 256
    /// The smooth tables are the lattice upsampled by this factor with a cubic B-spline.
    static let upsampling = 4
    static let tableSide = latticeSide * upsampling
    static let ditherSide = 64
    static let offsetLabels = 16

    /// Band 0: 256x256 high-passed white noise, read one value per pixel.
    let pixelNoise: [Int32]
    /// Bands 1 and 2: `smooth[(band - 1) * tableSide² + v * tableSide + u]`, in 1/16 lattice units.
    let smooth: [Int16]
    let ditherX: [Int32]
    let ditherY: [Int32]
    /// `offsets[(label * 3 + band) * 2 + axis]`: whole pixels (0...255) for band 0, Q16 table
    /// units (26 bits) for bands 1 and 2.
    let offsets: [Int]

    init(seed: UInt32) {
        var random = SplitMix64(seed: UInt64(seed))
        let cells = Self.latticeSide * Self.latticeSide
        var lattices = [Int32](repeating: 0, count: StarletBands.count * cells)
        for i in stride(from: 0, to: lattices.count, by: 2) {
            let r = random.next()
            lattices[i] = Self.byteSum(UInt32(truncatingIfNeeded: r)) - 510
            lattices[i + 1] = Self.byteSum(UInt32(truncatingIfNeeded: r >> 32)) - 510
        }
        func dither() -> [Int32] {
            var table = [Int32](repeating: 0, count: Self.ditherSide * Self.ditherSide)
            for i in stride(from: 0, to: table.count, by: 8) {
                let r = random.next()
                for j in 0..<8 { table[i + j] = Int32(truncatingIfNeeded: (r >> (8 * UInt64(j))) & 0xFF) }
            }
            return table
        }
        ditherX = dither()
        ditherY = dither()
        var offsets = [Int](repeating: 0, count: Self.offsetLabels * StarletBands.count * 2)
        for i in stride(from: 0, to: offsets.count, by: 2) {
            let r = random.next()
            if (i / 2) % StarletBands.count == 0 {
                offsets[i] = Int(r & 0xFF)
                offsets[i + 1] = Int((r >> 8) & 0xFF)
            } else {
                offsets[i] = Int(r & 0x3FF_FFFF)
                offsets[i + 1] = Int((r >> 26) & 0x3FF_FFFF)
            }
        }
        self.offsets = offsets
        pixelNoise = Self.highPass(Array(lattices[0..<cells]))
        smooth = Self.upsample(Self.highPass(Array(lattices[cells..<(2 * cells)])))
            + Self.upsample(Self.highPass(Array(lattices[(2 * cells)...])))
    }

    /// Each lattice value less the mean of its eight (wrapped) neighbours: value noise without
    /// its low frequencies, so each band's energy stays near its own scale.
    private static func highPass(_ raw: [Int32]) -> [Int32] {
        let side = latticeSide
        var result = raw
        for v in 0..<side {
            for u in 0..<side {
                var sum = 0
                for dv in -1...1 {
                    for du in -1...1 where du != 0 || dv != 0 {
                        sum += Int(raw[((v + dv) & 255) * side + ((u + du) & 255)])
                    }
                }
                result[v * side + u] = Int32(Int(raw[v * side + u]) - FixedPoint.divide(sum, 8))
            }
        }
        return result
    }

    /// Cubic B-spline weights (denominator 384) of the four lattice values around phase p/4.
    static let splineWeights: [[Int]] = (0..<upsampling).map { p in
        [(4 - p) * (4 - p) * (4 - p), 3 * p * p * p - 24 * p * p + 256, -3 * p * p * p + 12 * p * p + 48 * p + 64, p * p * p]
    }

    /// The lattice upsampled 4x with a cubic B-spline (wrapping), scaled by 16: smooth noise a
    /// bilinear lookup can read without creases, so the band keeps out of the finer bands.
    private static func upsample(_ lattice: [Int32]) -> [Int16] {
        let side = latticeSide, fine = tableSide, up = upsampling
        var rows = [Int](repeating: 0, count: side * fine)  // horizontal pass, weight 384
        for v in 0..<side {
            for u in 0..<fine {
                let (cell, phase) = (u / up, u % up)
                let w = splineWeights[phase]
                var sum = 0
                for k in 0..<4 { sum += w[k] * Int(lattice[v * side + ((cell + k - 1) & 255)]) }
                rows[v * fine + u] = sum
            }
        }
        var table = [Int16](repeating: 0, count: fine * fine)
        for y in 0..<fine {
            let (cell, phase) = (y / up, y % up)
            let w = splineWeights[phase]
            for u in 0..<fine {
                var sum = 0
                for k in 0..<4 { sum += w[k] * rows[((cell + k - 1) & 255) * fine + u] }
                table[y * fine + u] = Int16(FixedPoint.clamp(FixedPoint.divide(sum, 9216), -32767, 32767))
            }
        }
        return table
    }

    private static func byteSum(_ word: UInt32) -> Int32 {
        Int32(word & 0xFF) + Int32((word >> 8) & 0xFF) + Int32((word >> 16) & 0xFF) + Int32(word >> 24)
    }
}
