/// The push-pull pyramid over a grid of cells: each cell's weighted mean where it has weight,
/// and where it has little or none, the value pulled up from coarser levels (bilinearly), so
/// the fill is smooth and extrapolates the region's colours outward.
struct PushPullGrid {
    private(set) var width = 0
    private(set) var height = 0
    /// Cell values after `pushPull()`.
    private(set) var values: [Float] = []
    private var sums: [Float] = []
    private var counts: [Float] = []

    mutating func setFlat(width: Int, height: Int, value: Float) {
        self.width = width
        self.height = height
        values = [Float](repeating: value, count: width * height)
    }

    /// Sums weight·pixel and weight per cell, over every other row (the fill is low-pass
    /// anyway, and this is the padding's largest cost).
    mutating func accumulate(_ plane: UnsafePointer<UInt8>, weights: UnsafePointer<UInt8>, width w: Int, height h: Int, cell: Int) {
        width = (w + cell - 1) / cell
        height = (h + cell - 1) / cell
        let n = width * height
        if sums.count != n {
            sums = [Float](repeating: 0, count: n)
            counts = sums
            values = []
        } else {
            for k in 0..<n { sums[k] = 0; counts[k] = 0 }
        }
        let gw = width
        sums.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                for y in stride(from: 0, to: h, by: 2) {
                    let row = plane + y * w, wr = weights + y * w
                    let base = (y / cell) * gw
                    var x = 0
                    for gx in 0..<gw {
                        let end = min(w, x + cell)
                        // Most of a frame is padding: skip weightless 8-pixel segments at once.
                        if end - x == 8 && UnsafeRawPointer(wr + x).loadUnaligned(as: UInt64.self) == 0 {
                            x = end
                            continue
                        }
                        var sum: UInt32 = 0, count: UInt32 = 0
                        while x < end {
                            let k = UInt32(wr[x])
                            sum &+= k &* UInt32(row[x])
                            count &+= k
                            x &+= 1
                        }
                        s[base + gx] += Float(sum)
                        c[base + gx] += Float(count)
                    }
                }
            }
        }
        // Counts in units of "fully preserved pixels".
        for k in 0..<n { counts[k] *= 1 / 255; sums[k] *= 1 / 255 }
    }

    /// Fills `values`: the pull builds coarser levels of sums and counts; the push goes back
    /// down, blending each cell's own mean with the bilinearly interpolated coarser value by
    /// its coverage (`min(1, count / full)`, full = a quarter of the cell's pixels).
    mutating func pushPull() {
        var levels: [(w: Int, h: Int, sums: [Float], counts: [Float])] = [(width, height, sums, counts)]
        while levels.last!.w > 1 || levels.last!.h > 1 {
            let fine = levels.last!
            let w = (fine.w + 1) / 2, h = (fine.h + 1) / 2
            var s = [Float](repeating: 0, count: w * h), c = s
            for y in 0..<fine.h {
                for x in 0..<fine.w {
                    s[(y / 2) * w + x / 2] += fine.sums[y * fine.w + x]
                    c[(y / 2) * w + x / 2] += fine.counts[y * fine.w + x]
                }
            }
            levels.append((w, h, s, c))
        }
        // The coarsest level: the mean of everything, or grey when there is nothing.
        let top = levels.last!
        var coarse = [top.counts[0] > 0 ? top.sums[0] / top.counts[0] : 128]
        var cw = 1, ch = 1
        // Cells at level l hold 4^l base cells; "full" is a quarter of the base cell's weight.
        for l in stride(from: levels.count - 2, through: 0, by: -1) {
            let level = levels[l]
            let full = Float(1 << (2 * l)) * 4
            let xTaps = Taps(source: cw, destination: level.w, count: level.w)
            let yTaps = Taps(source: ch, destination: level.h, count: level.h)
            var next = [Float](repeating: 0, count: level.w * level.h)
            coarse.withUnsafeBufferPointer { coarse in
            next.withUnsafeMutableBufferPointer { next in
            level.sums.withUnsafeBufferPointer { sums in
            level.counts.withUnsafeBufferPointer { counts in
            xTaps.withPointers { xLow, xHigh, xFraction in
                for y in 0..<level.h {
                    let b = yTaps.fraction[y], a = 1 - b
                    let r0 = coarse.baseAddress! + yTaps.low[y] * cw, r1 = coarse.baseAddress! + yTaps.high[y] * cw
                    for x in 0..<level.w {
                        let j0 = xLow[x], j1 = xHigh[x], d = xFraction[x]
                        let parent = (r0[j0] * a + r1[j0] * b) * (1 - d) + (r0[j1] * a + r1[j1] * b) * d
                        let k = y * level.w + x
                        let count = counts[k]
                        let coverage = min(1, count / full)
                        next[k] = count > 0 ? coverage * (sums[k] / count) + (1 - coverage) * parent : parent
                    }
                }
            }
            }
            }
            }
            }
            coarse = next
            (cw, ch) = (level.w, level.h)
        }
        values = coarse
    }
}
