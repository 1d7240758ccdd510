/// Turns a label's texture statistics into the parameters of its procedural texture
/// (docs/bitstream.md §6.3): band 0 is pixel-scale noise, bands 1 and 2 are oriented,
/// stretched smooth noise; each band has a gain.
///
/// Integer only. The starlet bands overlap, so each generator band puts energy into its
/// neighbours too: `responses` says how much, measured once on this synthesizer at four
/// anisotropies (docs/synthesis.md, "Calibration"); the gains solve response * gain² = energy².
/// These tables are part of the format.
enum TextureModel {
    /// Lattice spacing of generator bands 1 and 2 in pixels, Q8 (band 0 is one value per pixel).
    static let spacing = [256, 768, 1536]

    /// Anisotropies (/255) at which `responses` were measured.
    static let responseAnisotropy = [0, 128, 204, 242]

    /// `responses[n][j][k]`: squared starlet energy in band j (code values², Q8) made by
    /// generator band k at gain 4096, at anisotropy `responseAnisotropy[n]`.
    static let responses: [[[Int]]] = [
        [[6_216_445, 47443, 4130], [50463, 155_257, 39151], [664, 64719, 132_186]],
        [[6_216_445, 54320, 4889], [50463, 157_831, 43731], [664, 79539, 132_651]],
        [[6_216_445, 65318, 6197], [50463, 153_037, 51450], [664, 93620, 129_677]],
        [[6_216_445, 75941, 7355], [50463, 154_418, 59068], [664, 83005, 128_604]],
    ]

    /// Gradient energy of the detail image made by each generator band at gain 4096: band 0
    /// (isotropic) dilutes the measured anisotropy by its share of it.
    static let gradientEnergy = [23719, 1216, 252]

    /// The strongest anisotropy bands 1 and 2 are given (0.97).
    static let maximumAnisotropy = 247

    /// Fields per band in `parameters`: m00, m01, m10, m11 (Q16 table units per pixel), the
    /// two table offsets, and the gain (Q12).
    static let fieldsPerBand = 7

    /// The parameters of every band of `appearance` for label `label`, appended to `into`.
    /// `fixedSquares` replaces the solved (gain / 4096)² (Q16): for measuring `responses`.
    static func parameters(of appearance: LabelAppearance, label: Int, noise: NoiseField, into: inout [Int],
                           fixedSquares: [Int]? = nil) {
        let (cos, sin) = FixedPoint.cosineSine(Int(appearance.orientation))
        let given = Int(appearance.anisotropy)
        var squares = fixedSquares ?? unknowns(energy: appearance.energy, response: response(at: given))
        var q = orientedAnisotropy(given, squares: squares)
        if fixedSquares == nil {
            squares = unknowns(energy: appearance.energy, response: response(at: q))
            q = orientedAnisotropy(given, squares: squares)
        }
        var gains = squares.map { FixedPoint.squareRoot($0 << 8) }
        // Stretching moves some energy out of a band's own scale: up to ~16% at the most stretched.
        let boost = 256 + FixedPoint.divide(46 * q * q, 65025)
        gains[1] = FixedPoint.shift(gains[1] * boost, 8)
        gains[2] = FixedPoint.shift(gains[2] * boost, 8)
        let ratioSquared = Swift.min(64 << 16, FixedPoint.divide((255 + q) << 16, Swift.max(1, 255 - q)))
        let ratio = FixedPoint.squareRoot(ratioSquared)  // Q8
        // Keep the mean squared frequency of a stretched pattern equal to the isotropic one, so
        // anisotropy moves little energy between bands.
        let compensation = FixedPoint.squareRoot(FixedPoint.divide(2 * ratioSquared << 16, ratioSquared + 65536) << 16)
        // Band 0 is pixel-scale noise: no orientation, no stretch, read one value per pixel.
        let offset0 = label % NoiseField.offsetLabels * StarletBands.count * 2
        into.append(contentsOf: [0, 0, 0, 0, noise.offsets[offset0], noise.offsets[offset0 + 1], gains[0]])
        let up = NoiseField.upsampling
        for band in 1..<StarletBands.count {
            let across = FixedPoint.divide(compensation * 256 * up, spacing[band])
            let along = FixedPoint.divide(compensation * 65536 * up, spacing[band] * ratio)
            into.append(FixedPoint.divide(-sin * across, 16384))
            into.append(FixedPoint.divide(cos * across, 16384))
            into.append(FixedPoint.divide(cos * along, 16384))
            into.append(FixedPoint.divide(sin * along, 16384))
            let offset = (label % NoiseField.offsetLabels * StarletBands.count + band) * 2
            into.append(noise.offsets[offset])
            into.append(noise.offsets[offset + 1])
            into.append(gains[band])
        }
    }

    /// The response at anisotropy `q` (/255), interpolated linearly between the measured ones.
    static func response(at q: Int) -> [[Int]] {
        var n = 0
        while n + 2 < responseAnisotropy.count, q > responseAnisotropy[n + 1] { n += 1 }
        let (low, high) = (responseAnisotropy[n], responseAnisotropy[n + 1])
        let t = FixedPoint.clamp(q - low, 0, high - low)
        return (0..<3).map { j in
            (0..<3).map { k in
                responses[n][j][k] + FixedPoint.divide((responses[n + 1][j][k] - responses[n][j][k]) * t, high - low)
            }
        }
    }

    /// The anisotropy to give bands 1 and 2 so that, diluted by band 0's isotropic gradients,
    /// the texture measures as `given`.
    static func orientedAnisotropy(_ given: Int, squares: [Int]) -> Int {
        let oriented = gradientEnergy[1] * squares[1] + gradientEnergy[2] * squares[2]
        guard oriented > 0 else { return given }
        return Swift.min(maximumAnisotropy, FixedPoint.divide(given * (oriented + gradientEnergy[0] * squares[0]), oriented))
    }

    /// (gain_k / 4096)² in Q16 whose band energies best match `energy` (quarter code values):
    /// projected Gauss-Seidel on response * x = energy², twelve sweeps.
    static func unknowns(energy: [UInt8], response: [[Int]]) -> [Int] {
        // Targets in code values² Q8 (q² / 16 * 256).
        let target = energy.map { Int($0) * Int($0) * 16 }
        var x = [0, 0, 0]
        for _ in 0..<12 {
            for k in 0..<3 {
                var rest = target[k] << 16
                for m in 0..<3 where m != k { rest -= response[k][m] * x[m] }
                x[k] = rest > 0 ? rest / response[k][k] : 0
            }
        }
        return x
    }
}

extension TextureModel {
    /// The texture statistics nearest to the measured ones that the generator reproduces: the
    /// same non-negative fit as `unknowns` in floating point, and the anisotropy capped where a
    /// strong isotropic fine band dilutes it. Analysis and themes store these.
    static func achievable(energy measured: [Double], anisotropy: Double) -> (energy: [Double], anisotropy: Double) {
        func fit(_ a: Double) -> (x: [Double], response: [[Double]]) {
            let r = response(at: Int((a * 255).rounded())).map { $0.map { Double($0) / 256 } }
            let target = measured.map { $0 * $0 }
            var x = [0.0, 0.0, 0.0]
            for _ in 0..<50 {
                for k in 0..<3 {
                    var rest = target[k]
                    for m in 0..<3 where m != k { rest -= r[k][m] * x[m] }
                    x[k] = max(0, rest / r[k][k])
                }
            }
            return (x, r)
        }
        let maximum = Double(maximumAnisotropy) / 255
        var (x, r) = fit(anisotropy)
        var reachable = anisotropy
        for _ in 0..<2 {
            let oriented = Double(gradientEnergy[1]) * x[1] + Double(gradientEnergy[2]) * x[2]
            let all = oriented + Double(gradientEnergy[0]) * x[0]
            reachable = oriented > 0 ? min(anisotropy, maximum * oriented / all) : anisotropy
            let effective = oriented > 0 ? min(maximum, reachable * all / oriented) : reachable
            (x, r) = fit(effective)
        }
        let energy = (0..<3).map { j in (0..<3).reduce(0.0) { $0 + r[j][$1] * x[$1] }.squareRoot() }
        return (energy, reachable)
    }
}
