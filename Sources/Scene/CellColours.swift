/// The smooth part of the background at label-map resolution, Y'CbCr in Q8: each cell's label
/// colour plus the label's shading field (less its mean over the label, so the label keeps its
/// colour), corrected towards the plate thumbnail at level 2 (docs/bitstream.md §6.2).
struct CellColours {
    let width: Int
    let height: Int
    private(set) var y: [Int]
    private(set) var u: [Int]
    private(set) var v: [Int]

    init(scene: SceneDescription) {
        let map = scene.labels
        width = map.width
        height = map.height
        let labelColours = scene.appearances.map {
            IntegerColor.ycbcrQ8(lq: Int($0.lightness), aq: Int($0.a), bq: Int($0.b))
        }
        let count = width * height
        var shading = [Int](repeating: 0, count: count)
        var sums = [Int](repeating: 0, count: scene.appearances.count)
        var cellsPerLabel = sums
        let (gw, gh) = (map.width, map.height)
        let xs = (0..<gw).map { FixedPoint.divide((2 * $0 + 1 - gw) * 4096, gw) }
        let ys = (0..<gh).map { FixedPoint.divide((2 * $0 + 1 - gh) * 4096, gh) }
        for j in 0..<height {
            for i in 0..<width {
                let label = Int(map.labels[j * width + i])
                let s = scene.appearances[label].shading.map(Int.init)
                let (x, yy) = (xs[i], ys[j])
                let field = s[0] * x + s[1] * yy + s[2] * FixedPoint.shift(x * x, 12)
                    + s[3] * FixedPoint.shift(x * yy, 12) + s[4] * FixedPoint.shift(yy * yy, 12)
                let value = FixedPoint.shift(field * 128, 12)
                shading[j * width + i] = value
                sums[label] += value
                cellsPerLabel[label] += 1
            }
        }
        let means = zip(sums, cellsPerLabel).map { $1 > 0 ? FixedPoint.divide($0, $1) : 0 }
        y = [Int](repeating: 0, count: count)
        u = y
        v = y
        for c in 0..<count {
            let label = Int(map.labels[c])
            y[c] = FixedPoint.clamp(labelColours[label].y + shading[c] - means[label], 0, 255 * 256)
            u[c] = labelColours[label].u
            v[c] = labelColours[label].v
        }
        if let thumbnail = scene.thumbnail { correct(towards: thumbnail) }
    }

    /// Adds the thumbnail's difference from the cell colours (averaged over each thumbnail
    /// pixel's block of cells), upsampled bilinearly: the label layout stays sharp, the coarse
    /// colour follows the room.
    private mutating func correct(towards thumbnail: PlateThumbnail) {
        let (tw, th) = (thumbnail.width, thumbnail.height)
        func residual(_ cells: [Int], _ target: [UInt8]) -> [Int] {
            var result = [Int](repeating: 0, count: tw * th)
            for tj in 0..<th {
                let j0 = tj * height / th, j1 = Swift.max(j0 + 1, (tj + 1) * height / th)
                for ti in 0..<tw {
                    let i0 = ti * width / tw, i1 = Swift.max(i0 + 1, (ti + 1) * width / tw)
                    var sum = 0
                    for j in j0..<j1 { for i in i0..<i1 { sum += cells[j * width + i] } }
                    result[tj * tw + ti] = Int(target[tj * tw + ti]) * 256 - FixedPoint.divide(sum, (j1 - j0) * (i1 - i0))
                }
            }
            return result
        }
        let columns = AxisMap(outputSize: width, cells: tw), rows = AxisMap(outputSize: height, cells: th)
        func apply(_ cells: inout [Int], _ r: [Int]) {
            for j in 0..<height {
                let t0 = Int(rows.first[j]), t1 = Int(rows.second[j]), fy = Int(rows.fraction[j])
                for i in 0..<width {
                    let s0 = Int(columns.first[i]), s1 = Int(columns.second[i]), fx = Int(columns.fraction[i])
                    let top = r[t0 * tw + s0] * (256 - fx) + r[t0 * tw + s1] * fx
                    let bottom = r[t1 * tw + s0] * (256 - fx) + r[t1 * tw + s1] * fx
                    let delta = FixedPoint.shift(top * (256 - fy) + bottom * fy, 16)
                    cells[j * width + i] = FixedPoint.clamp(cells[j * width + i] + delta, 0, 255 * 256)
                }
            }
        }
        let (ry, ru, rv) = (residual(y, thumbnail.y), residual(u, thumbnail.u), residual(v, thumbnail.v))
        apply(&y, ry)
        apply(&u, ru)
        apply(&v, rv)
    }
}
