/// Measures each label's appearance on the plate: mean colour (Lab of the mean Y'CbCr), a
/// least-squares quadratic shading field of luma over the label's cells, and texture
/// statistics over the label's interior, projected to what the synthesizer can reproduce.
struct AppearanceEstimator {
    /// Labels with fewer interior pixels than this are measured over all their seen pixels.
    static let minimumInteriorPixels = 256

    func estimate(grid: CellGrid, labels: LabelMap, bands: StarletBands, age: [UInt8]) -> [LabelAppearance] {
        let count = labels.labelCount
        var weight = [Double](repeating: 0, count: count)
        var sums = [[Double]](repeating: [0, 0, 0], count: count)
        for c in labels.labels.indices where grid.seen[c] > 0 {
            let label = Int(labels.labels[c]), w = Double(grid.seen[c])
            weight[label] += w
            sums[label][0] += w * grid.y[c]
            sums[label][1] += w * grid.u[c]
            sums[label][2] += w * grid.v[c]
        }
        let means: [[Double]] = (0..<count).map { l in
            weight[l] > 0 ? sums[l].map { $0 / weight[l] } : [grid.y.first ?? 128, 128, 128]
        }

        var regions = labels.interiorRegions(frameWidth: grid.frameWidth, frameHeight: grid.frameHeight)
        let wellSeen = (0..<(grid.width * grid.height)).map(grid.isWellSeen(around:))
        for py in 0..<grid.frameHeight {
            for px in 0..<grid.frameWidth {
                let i = py * grid.frameWidth + px
                if age[i] == 0 || !wellSeen[labels.cellIndex(x: px, y: py, frameWidth: grid.frameWidth, frameHeight: grid.frameHeight)] {
                    regions[i] = 255
                }
            }
        }
        var textures = TextureStatistics.measure(bands, regions: regions, regionCount: count)
        let thin = (0..<count).filter { textures[$0].pixelCount < Self.minimumInteriorPixels }
        if !thin.isEmpty {
            var all = [UInt8](repeating: 255, count: regions.count)
            for py in 0..<grid.frameHeight {
                for px in 0..<grid.frameWidth where age[py * grid.frameWidth + px] > 0 {
                    all[py * grid.frameWidth + px] = labels.labels[labels.cellIndex(x: px, y: py, frameWidth: grid.frameWidth,
                                                                                    frameHeight: grid.frameHeight)]
                }
            }
            let wider = TextureStatistics.measure(bands, regions: all, regionCount: count)
            for l in thin where wider[l].pixelCount > textures[l].pixelCount { textures[l] = wider[l] }
        }

        return (0..<count).map { l in
            let lab = ColorSpace.lab(y: means[l][0], u: means[l][1], v: means[l][2])
            let texture = textures[l]
            return LabelAppearance.reproducible(lab: lab, shading: shading(label: l, mean: means[l][0], grid: grid, labels: labels),
                                                energy: texture.energy, orientationDegrees: texture.orientationDegrees,
                                                anisotropy: texture.anisotropy)
        }
    }

    /// Least-squares luma field over the label's seen cells in frame-normalized coordinates
    /// (x, y in -1...1 at cell centres): [x, y, x², xy, y²] coefficients in code values.
    /// Small labels get a plane or nothing: a quadratic on a few cells is noise.
    private func shading(label: Int, mean: Double, grid: CellGrid, labels: LabelMap) -> [Double] {
        var rows: [([Double], Double, Double)] = []
        for c in labels.labels.indices where Int(labels.labels[c]) == label && grid.isKnown(c) {
            let x = Double(2 * (c % grid.width) + 1 - grid.width) / Double(grid.width)
            let y = Double(2 * (c / grid.width) + 1 - grid.height) / Double(grid.height)
            rows.append(([1, x, y, x * x, x * y, y * y], grid.y[c] - mean, Double(grid.seen[c])))
        }
        var terms = rows.count >= 24 ? 6 : (rows.count >= 6 ? 3 : 0)
        while terms > 0 {
            let solution = fit(rows, terms: terms)
            // What the format cannot hold (±63.5) is not lighting but a badly constrained fit.
            if let solution, solution.allSatisfy({ abs($0) <= 63 }) { return solution }
            terms = terms == 6 ? 3 : 0
        }
        return [0, 0, 0, 0, 0]
    }

    private func fit(_ rows: [([Double], Double, Double)], terms: Int) -> [Double]? {
        var normal = [[Double]](repeating: [Double](repeating: 0, count: terms), count: terms)
        var rhs = [Double](repeating: 0, count: terms)
        for (features, value, weight) in rows {
            for i in 0..<terms {
                rhs[i] += weight * features[i] * value
                for j in 0..<terms { normal[i][j] += weight * features[i] * features[j] }
            }
        }
        // A ridge keeps terms the label's extent does not constrain (a label in one corner, or
        // along a line) near zero instead of large and cancelling.
        let ridge = normal[0][0] * 0.02
        for i in 1..<terms { normal[i][i] += ridge }
        guard let solution = Self.solve(normal, rhs) else { return nil }
        return (1..<6).map { $0 < terms ? solution[$0] : 0 }
    }

    /// Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        let n = rhs.count
        var a = matrix, b = rhs
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-12 else {
                return nil
            }
            a.swapAt(col, pivot)
            b.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let f = a[row][col] / a[col][col]
                for k in col..<n { a[row][k] -= f * a[col][k] }
                b[row] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x
    }
}
