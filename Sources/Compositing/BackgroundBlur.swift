import BackdropCore

/// A strong, smooth blur of a frame's background, computed at low resolution.
///
/// The planes are area-downsampled by an even factor, box-blurred a few times (which
/// approximates a Gaussian), and bilinearly upsampled. The blur is a normalized convolution,
/// blur(p·w) / blur(w) with w = 1 − alpha: the person's colours do not bleed into the
/// background around the silhouette, which a plain blur would show as a bright or dark halo.
/// Buffers are kept between frames: at a steady frame size nothing is allocated, as long as
/// the caller lets go of the returned frame before asking for the next one.
struct BackgroundBlur {
    /// Weight of a pixel that is surely person, relative to background: small enough to leave
    /// no visible halo, not zero so that a frame that is all person still gets a plain blur.
    static let personWeight: Float = 1.0 / 1024
    /// Box passes per direction; three give a close approximation of a Gaussian.
    static let passes = 3

    /// Gaussian sigma in percent of the frame width.
    let strength: Double
    private var geometry: Geometry?
    private var scratch: [Float] = []
    /// Per output column: left and right low-resolution column (luma, then chroma).
    private var columns: [Int32] = []
    /// Per output column: weight of the right low-resolution column (luma, then chroma).
    private var columnWeights: [Float] = []
    private var output: VideoFrame?
    private var emptyMask: Mask?

    init(strength: Double) {
        precondition(strength > 0, "blur strength must be positive")
        self.strength = strength
    }

    /// The blurred background of `frame`, weighting each pixel by 1 − `alpha` (none: weight 1).
    mutating func render(_ frame: VideoFrame, alpha: Mask?) -> VideoFrame {
        let mask = alpha ?? noMask(width: frame.width, height: frame.height)
        precondition(mask.width == frame.width && mask.height == frame.height,
                     "mask \(mask.width)x\(mask.height) does not match frame \(frame.width)x\(frame.height)")
        let g = prepare(width: frame.width, height: frame.height)
        accumulate(frame, mask.values, g)
        blurLowPlanes(g)
        // Taken out of `output` so that it is uniquely referenced, hence written in place.
        var out = output.take() ?? VideoFrame(width: g.width, height: g.height, fillY: 0, fillU: 0, fillV: 0)
        if out.width != g.width || out.height != g.height {
            out = VideoFrame(width: g.width, height: g.height, fillY: 0, fillU: 0, fillV: 0)
        }
        upsample(g.numY, into: &out.y, width: g.width, height: g.height, factor: g.factor,
                 columnOffset: 0, g)
        upsample(g.numU, into: &out.u, width: g.chromaWidth, height: g.chromaHeight, factor: g.factor / 2,
                 columnOffset: g.width, g)
        upsample(g.numV, into: &out.v, width: g.chromaWidth, height: g.chromaHeight, factor: g.factor / 2,
                 columnOffset: g.width, g)
        out.pts = frame.pts
        out.timeBase = frame.timeBase
        output = out
        return out
    }

    private mutating func noMask(width: Int, height: Int) -> Mask {
        if let emptyMask, emptyMask.width == width, emptyMask.height == height { return emptyMask }
        let mask = Mask(width: width, height: height)
        emptyMask = mask
        return mask
    }

    // MARK: Geometry

    /// Everything that depends only on the frame size and strength, with offsets into `scratch`.
    private struct Geometry {
        let width, height, chromaWidth, chromaHeight: Int
        /// Luma pixels per low-resolution pixel in each direction; even, so chroma uses half.
        let factor: Int
        let lowWidth, lowHeight: Int
        let radii: [Int]
        // Offsets of the low-resolution planes and row buffers in `scratch`.
        var lowCount: Int { lowWidth * lowHeight }
        var numY: Int { 0 }
        var denY: Int { lowCount }
        var numU: Int { 2 * lowCount }
        var numV: Int { 3 * lowCount }
        var denC: Int { 4 * lowCount }
        var temp: Int { 5 * lowCount }
        var lowRow: Int { 6 * lowCount }
        var accumulators: Int { 6 * lowCount + max(lowWidth, lowHeight) }
        var scratchCount: Int { accumulators + 4 * width + 4 * chromaWidth }

        init(width: Int, height: Int, strength: Double) {
            self.width = width
            self.height = height
            chromaWidth = (width + 1) / 2
            chromaHeight = (height + 1) / 2
            let sigma = strength / 100 * Double(width)
            // About four low-resolution pixels of sigma: smooth after upsampling, and cheap. Weak
            // blurs get a coarser grid than that, to keep the low-resolution work bounded.
            factor = max(2, 2 * Int((sigma / 8).rounded()), 2 * ((width + 639) / 640))
            lowWidth = (width + factor - 1) / factor
            lowHeight = (height + factor - 1) / factor
            // Downsampling and bilinear upsampling already spread by about 1/4 px² (low-res).
            let lowSigma = sigma / Double(factor)
            radii = BackgroundBlur.boxRadii(variance: max(0, lowSigma * lowSigma - 0.25), passes: BackgroundBlur.passes)
        }
    }

    /// Radii of `passes` box filters whose combined variance is closest to `variance`
    /// (boxes of two neighbouring odd widths, as in Kovesi's "fast almost-Gaussian filtering").
    static func boxRadii(variance: Double, passes n: Int) -> [Int] {
        let idealWidth = (12 * variance / Double(n) + 1).squareRoot()
        var lower = Int(idealWidth)
        if lower % 2 == 0 { lower -= 1 }
        lower = max(1, lower)
        let l = Double(lower), nd = Double(n)
        let idealLowerCount = (12 * variance - nd * l * l - 4 * nd * l - 3 * nd) / (-4 * l - 4)
        let lowerCount = min(n, max(0, Int(idealLowerCount.rounded())))
        return (0..<n).map { $0 < lowerCount ? (lower - 1) / 2 : (lower + 1) / 2 }
    }

    private mutating func prepare(width: Int, height: Int) -> Geometry {
        if let geometry, geometry.width == width, geometry.height == height { return geometry }
        let g = Geometry(width: width, height: height, strength: strength)
        scratch = [Float](repeating: 0, count: g.scratchCount)
        columns = []
        columnWeights = []
        for (count, factor) in [(g.width, g.factor), (g.chromaWidth, g.factor / 2)] {
            for x in 0..<count {
                let (left, right, weight) = Self.sample(x, factor: factor, lowCount: g.lowWidth)
                columns.append(Int32(left))
                columns.append(Int32(right))
                columnWeights.append(weight)
            }
        }
        geometry = g
        return g
    }

    /// Where output pixel `index` falls between low-resolution pixel centres.
    private static func sample(_ index: Int, factor: Int, lowCount: Int) -> (Int, Int, Float) {
        let position = min(max((Double(index) + 0.5) / Double(factor) - 0.5, 0), Double(lowCount - 1))
        let left = Int(position)
        let right = min(left + 1, lowCount - 1)
        return (left, right, Float(position - Double(left)))
    }

    // MARK: Downsampling

    /// Fills the low-resolution weighted sums: numY/denY from luma, numU/numV/denC from chroma.
    ///
    /// Column sums are gathered over a band of rows, then each band is reduced to blocks: the
    /// per-pixel loops run along rows and vectorize.
    private mutating func accumulate(_ frame: VideoFrame, _ alpha: [Float], _ g: Geometry) {
        scratch.withUnsafeMutableBufferPointer { s in
            let s = s.baseAddress!
            let w = g.width, cw = g.chromaWidth, f = g.factor, fc = f / 2, pairs = w / 2
            let accNum = s + g.accumulators, accDen = accNum + w, upper = accDen + w, lower = upper + w
            let accU = lower + w, accV = accU + cw, accDenC = accV + cw, chromaWeights = accDenC + cw
            for acc in [accNum, accDen] { acc.update(repeating: 0, count: w) }
            for acc in [accU, accV, accDenC] { acc.update(repeating: 0, count: cw) }
            frame.y.withUnsafeBufferPointer { y in
            frame.u.withUnsafeBufferPointer { u in
            frame.v.withUnsafeBufferPointer { v in
            alpha.withUnsafeBufferPointer { a in
                let y = y.baseAddress!, u = u.baseAddress!, v = v.baseAddress!, a = a.baseAddress!
                for row in 0..<g.chromaHeight {
                    // The two luma rows of this chroma row; an odd last row pairs with itself.
                    let top = 2 * row, bottom = min(top + 1, g.height - 1)
                    Self.addLuma(y + top * w, a + top * w, weights: upper, accNum, accDen, count: w)
                    if bottom != top {
                        Self.addLuma(y + bottom * w, a + bottom * w, weights: lower, accNum, accDen, count: w)
                    }
                    // Each chroma sample weighs as the mean of its 2x2 luma block.
                    let second = bottom == top ? upper : lower
                    for x in 0..<pairs {
                        chromaWeights[x] = 0.25 * (upper[2 * x] + upper[2 * x + 1] + second[2 * x] + second[2 * x + 1])
                    }
                    if pairs < cw { chromaWeights[pairs] = 0.5 * (upper[w - 1] + second[w - 1]) }
                    let uRow = u + row * cw, vRow = v + row * cw
                    for x in 0..<cw {
                        let weight = chromaWeights[x]
                        accU[x] += Float(uRow[x]) * weight
                        accV[x] += Float(vRow[x]) * weight
                        accDenC[x] += weight
                    }
                    // A band of `factor` luma rows is `factor / 2` chroma rows.
                    if (row + 1) % fc == 0 || row == g.chromaHeight - 1 {
                        let low = (row / fc) * g.lowWidth
                        Self.reduce(accNum, count: w, factor: f, into: s + g.numY + low, lowCount: g.lowWidth)
                        Self.reduce(accDen, count: w, factor: f, into: s + g.denY + low, lowCount: g.lowWidth)
                        Self.reduce(accU, count: cw, factor: fc, into: s + g.numU + low, lowCount: g.lowWidth)
                        Self.reduce(accV, count: cw, factor: fc, into: s + g.numV + low, lowCount: g.lowWidth)
                        Self.reduce(accDenC, count: cw, factor: fc, into: s + g.denC + low, lowCount: g.lowWidth)
                    }
                }
            }
            }
            }
            }
        }
    }

    /// Adds one luma row, weighted by 1 − alpha, to the column sums; keeps the weights.
    @inline(__always)
    private static func addLuma(_ y: UnsafePointer<UInt8>, _ alpha: UnsafePointer<Float>,
                                weights: UnsafeMutablePointer<Float>, _ accNum: UnsafeMutablePointer<Float>,
                                _ accDen: UnsafeMutablePointer<Float>, count: Int) {
        for x in 0..<count {
            let weight = 1 - clamp(alpha[x]) + personWeight
            weights[x] = weight
            accNum[x] += Float(y[x]) * weight
            accDen[x] += weight
        }
    }

    /// A probability in [0, 1]; NaN counts as background.
    @inline(__always)
    private static func clamp(_ a: Float) -> Float { a > 0 ? (a < 1 ? a : 1) : 0 }

    /// Sums each run of `factor` accumulators into one low-resolution pixel, and clears them.
    private static func reduce(_ acc: UnsafeMutablePointer<Float>, count: Int, factor: Int,
                               into low: UnsafeMutablePointer<Float>, lowCount: Int) {
        for block in 0..<lowCount {
            var sum: Float = 0
            for x in (block * factor)..<min(block * factor + factor, count) { sum += acc[x] }
            low[block] = sum
        }
        acc.update(repeating: 0, count: count)
    }

    // MARK: Low-resolution blur

    /// Box-blurs the five low-resolution planes, then divides: numY, numU, numV become colours.
    private mutating func blurLowPlanes(_ g: Geometry) {
        scratch.withUnsafeMutableBufferPointer { s in
            let s = s.baseAddress!
            // The five planes numY, denY, numU, numV, denC lie one after the other.
            for plane in stride(from: g.numY, through: g.denC, by: g.lowCount) {
                // Blur down the columns, transpose, again, transpose back: both directions
                // then run the column pass, which vectorizes across a row.
                var source = s + plane, other = s + g.temp
                for pass in 0..<2 {
                    let (width, height) = pass == 0 ? (g.lowWidth, g.lowHeight) : (g.lowHeight, g.lowWidth)
                    for radius in g.radii where radius > 0 {
                        Self.boxColumns(source, into: other, width: width, height: height,
                                        radius: radius, accumulator: s + g.lowRow)
                        swap(&source, &other)
                    }
                    Self.transpose(source, into: other, width: width, height: height)
                    swap(&source, &other)
                }
                if source != s + plane { (s + plane).update(from: source, count: g.lowCount) }
            }
            // Zero padding outside the frame is harmless: numerator and denominator share it.
            for i in 0..<g.lowCount {
                s[g.numY + i] /= max(s[g.denY + i], .leastNormalMagnitude)
                let chromaWeight = max(s[g.denC + i], .leastNormalMagnitude)
                s[g.numU + i] /= chromaWeight
                s[g.numV + i] /= chromaWeight
            }
        }
    }

    /// In tiles, so that both sides stay in cache when the planes are large (weak blurs).
    private static func transpose(_ src: UnsafeMutablePointer<Float>, into dst: UnsafeMutablePointer<Float>,
                                  width: Int, height: Int) {
        let tile = 16
        for rowStart in stride(from: 0, to: height, by: tile) {
            let rowEnd = min(rowStart + tile, height)
            for columnStart in stride(from: 0, to: width, by: tile) {
                let columnEnd = min(columnStart + tile, width)
                for x in columnStart..<columnEnd {
                    let d = dst + x * height
                    for row in rowStart..<rowEnd { d[row] = src[row * width + x] }
                }
            }
        }
    }

    /// Running-sum box filter down the columns, a whole row at a time so the loop vectorizes.
    private static func boxColumns(_ src: UnsafeMutablePointer<Float>, into dst: UnsafeMutablePointer<Float>,
                                   width: Int, height: Int, radius: Int,
                                   accumulator sum: UnsafeMutablePointer<Float>) {
        // Scaled by 1/(2r+1) here so that repeated passes keep the magnitudes moderate.
        let scale = 1 / Float(2 * radius + 1)
        sum.update(repeating: 0, count: width)
        for row in 0..<min(radius, height) {
            let s = src + row * width
            for x in 0..<width { sum[x] += s[x] }
        }
        for row in 0..<height {
            if row + radius < height {
                let s = src + (row + radius) * width
                for x in 0..<width { sum[x] += s[x] }
            }
            let d = dst + row * width
            for x in 0..<width { d[x] = sum[x] * scale }
            if row - radius >= 0 {
                let s = src + (row - radius) * width
                for x in 0..<width { sum[x] -= s[x] }
            }
        }
    }

    // MARK: Upsampling

    /// Bilinear upsampling of a low-resolution plane (at `plane` in scratch) into `out`.
    ///
    /// Each low-resolution row is widened once (the only gathers), then every output row is a
    /// contiguous blend of two widened rows.
    private mutating func upsample(_ plane: Int, into out: inout [UInt8], width: Int, height: Int, factor: Int,
                                   columnOffset: Int, _ g: Geometry) {
        scratch.withUnsafeMutableBufferPointer { s in
        columns.withUnsafeBufferPointer { c in
        columnWeights.withUnsafeBufferPointer { cw in
        out.withUnsafeMutableBufferPointer { o in
            let low = s.baseAddress! + plane
            let c = c.baseAddress! + 2 * columnOffset, cw = cw.baseAddress! + columnOffset
            let o = o.baseAddress!
            let lw = g.lowWidth
            // Two widened rows, in the accumulators' space (free once downsampling is done).
            var slots = (s.baseAddress! + g.accumulators, s.baseAddress! + g.accumulators + g.width)
            var rows = (-1, -1)
            func widen(_ lowRow: Int, into row: UnsafeMutablePointer<Float>) {
                let r = low + lowRow * lw
                for x in 0..<width {
                    let left = r[Int(c[2 * x])], right = r[Int(c[2 * x + 1])]
                    row[x] = left + (right - left) * cw[x]
                }
            }
            for y in 0..<height {
                let (top, bottom, t) = Self.sample(y, factor: factor, lowCount: g.lowHeight)
                // Rows only move down, so the old bottom row is the next top row.
                if rows.0 != top {
                    if rows.1 == top {
                        slots = (slots.1, slots.0)
                        rows = (rows.1, rows.0)
                    } else {
                        widen(top, into: slots.0)
                        rows.0 = top
                    }
                }
                if rows.1 != bottom {
                    widen(bottom, into: slots.1)
                    rows.1 = bottom
                }
                let a = slots.0, b = slots.1, line = o + y * width
                for x in 0..<width {
                    let value = a[x] + (b[x] - a[x]) * t
                    line[x] = UInt8(truncatingIfNeeded: roundedToUInt16(min(max(value, 0), 255)))
                }
            }
        }
        }
        }
        }
    }
}
