import BackdropCore

/// Edge-aware upsampling of a model-size mask to frame size, guided by the frame's luma
/// (He & Sun's fast guided filter, 2015), so mask edges follow hair and shoulders without halos.
///
/// The linear coefficients a, b of q = a * I + b are fitted on a coarse grid (the frame reduced by
/// an integer factor of at most `maxReduction`, never coarser than the mask), their box means are
/// bilinearly upsampled to full size and applied to the full-resolution luma I, which puts back
/// detail finer than the mask, such as strands of hair.
///
/// Both mask and guide reach the grid by the same path: the luma is area-averaged to the mask's
/// size (what the model saw) and both are bilinearly upsampled from there. The fit then relates
/// equally blurred signals, so a is not attenuated; with the luma area-averaged straight to the
/// grid (sharper than the mask) thin strands came out at half strength and were lost at 0.5
/// (boundary error on 720p synthetic hair: 0.2 px this way, 2-3 px the other).
///
/// Where the mask carries no edge (all 0 or all 1), a = 0 and the output is the mask itself:
/// background texture cannot leak in. Holds scratch memory reused across calls: use one
/// instance per stream and thread.
public final class GuidedUpsampler {
    /// Tuning of the filter.
    public struct Parameters: Sendable, Equatable {
        /// Box radius on the coefficient grid; the window spans (2r + 1) grid pixels, i.e. about
        /// (2r + 1) * reduction frame pixels. It must cover the blur of the upsampled mask edge.
        public var radius: Int
        /// Regularisation of a, with luma scaled to [0, 1]: edges weaker than about sqrt(epsilon)
        /// are smoothed over rather than followed (smaller follows fainter edges, and more noise).
        public var epsilon: Float
        /// Largest integer reduction of the frame for the coefficient grid.
        public var maxReduction: Int

        public init(radius: Int = 2, epsilon: Float = 1e-4, maxReduction: Int = 4) {
            precondition(radius >= 0, "radius \(radius) must be >= 0")
            precondition(epsilon > 0, "epsilon \(epsilon) must be > 0")
            precondition(maxReduction >= 1, "maxReduction \(maxReduction) must be >= 1")
            self.radius = radius
            self.epsilon = epsilon
            self.maxReduction = maxReduction
        }
    }

    public let parameters: Parameters
    private var layout: Layout?

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Reduction factor used for a frame and mask of these sizes.
    public func reduction(frameWidth: Int, frameHeight: Int, maskWidth: Int, maskHeight: Int) -> Int {
        max(1, min(parameters.maxReduction, frameWidth / maskWidth, frameHeight / maskHeight))
    }

    /// Upsamples `mask` to `width` x `height`, guided by `luma` (`width * height` bytes, packed rows).
    public func upsample(_ mask: Mask, luma: [UInt8], width: Int, height: Int) -> Mask {
        var output = Mask(width: width, height: height)
        upsample(mask, luma: luma, width: width, height: height, into: &output)
        return output
    }

    /// As `upsample(_:luma:width:height:)`, writing into `output`, which is replaced only when
    /// its size differs: pass the same mask every frame and nothing is allocated.
    ///
    /// `maskSizeLuma` may pass the frame's luma already area-averaged to the mask's size, in
    /// 0...255 (the guide given to `TemporalSmoother`, from `MaskResampling.areaAverage`), which
    /// saves computing it again; when nil it is computed here.
    public func upsample(_ mask: Mask, luma: [UInt8], width: Int, height: Int,
                         maskSizeLuma: [Float]? = nil, into output: inout Mask) {
        precondition(luma.count == width * height, "luma is \(luma.count) bytes, expected \(width)x\(height)")
        precondition(maskSizeLuma == nil || maskSizeLuma!.count == mask.width * mask.height,
                     "maskSizeLuma has \(maskSizeLuma?.count ?? 0) values, expected \(mask.width)x\(mask.height)")
        if output.width != width || output.height != height {
            output = Mask(width: width, height: height)
        }
        let key = Layout.Key(frameWidth: width, frameHeight: height, maskWidth: mask.width, maskHeight: mask.height)
        if layout?.key != key {
            let r = reduction(frameWidth: width, frameHeight: height, maskWidth: mask.width, maskHeight: mask.height)
            layout = Layout(key: key, reduction: r, radius: parameters.radius)
        }
        let layout = self.layout!, epsilon = parameters.epsilon
        FloatEnvironment.flushingSubnormals {
            mask.values.withUnsafeBufferPointer { maskValues in
                luma.withUnsafeBufferPointer { luma in
                    output.values.withUnsafeMutableBufferPointer { out in
                        if let maskSizeLuma {
                            maskSizeLuma.withUnsafeBufferPointer { layout.setMaskSizeGuide(from: $0.baseAddress!) }
                        } else {
                            layout.setMaskSizeGuide(averaging: luma.baseAddress!)
                        }
                        layout.run(mask: maskValues.baseAddress!, luma: luma.baseAddress!,
                                   output: out.baseAddress!, epsilon: epsilon)
                    }
                }
            }
        }
    }
}

/// Geometry and scratch memory for one (frame size, mask size) pair; owns its allocations.
private final class Layout {
    struct Key: Equatable {
        var frameWidth, frameHeight, maskWidth, maskHeight: Int
    }

    let key: Key
    let gridWidth, gridHeight, radius: Int
    let maskToGridX, maskToGridY, gridToFrameX, gridToFrameY: BilinearAxis
    /// Grid planes: guide I in [0, 1], mask p, I*p (later a), I*I (later b), and their box means.
    let guide, mask, product, square, meanGuide, meanMask, meanProduct, meanSquare: UnsafeMutablePointer<Float>
    /// 1 / (number of grid pixels in the clipped box window), per column and per row.
    let inverseCountX, inverseCountY: UnsafeMutablePointer<Float>
    /// Row scratch: a mask row, two grid rows (readable from index -1 to gridWidth + 1, edges
    /// repeated), box column sums padded by `radius` zeros on both sides.
    let maskRow, gridRowA, gridRowB, padded: UnsafeMutablePointer<Float>
    /// 2 or 4 when the frame is exactly that many times wider than the grid, so that frame columns
    /// 4g...4g+3 (or 2g, 2g+1) interpolate between grid columns g - 1, g, g + 1 in a fixed
    /// pattern, which vectorises; 0 otherwise.
    let horizontalFactor: Int
    /// Two grid rows of mean a and mean b upsampled to frame width.
    let frameRowsA, frameRowsB: UnsafeMutablePointer<Float>
    /// The frame's luma area-averaged to mask size, in [0, 1].
    let maskSizeGuide: UnsafeMutablePointer<Float>
    private let floats: UnsafeMutablePointer<Float>

    init(key: Key, reduction: Int, radius: Int) {
        self.key = key
        let gw = max(1, (key.frameWidth + reduction / 2) / reduction)
        let gh = max(1, (key.frameHeight + reduction / 2) / reduction)
        (gridWidth, gridHeight, self.radius) = (gw, gh, radius)
        maskToGridX = BilinearAxis(source: key.maskWidth, destination: gw)
        maskToGridY = BilinearAxis(source: key.maskHeight, destination: gh)
        gridToFrameX = BilinearAxis(source: gw, destination: key.frameWidth)
        gridToFrameY = BilinearAxis(source: gh, destination: key.frameHeight)

        let sizes = [gw * gh, gw * gh, gw * gh, gw * gh, gw * gh, gw * gh, gw * gh, gw * gh, gw, gh,
                     key.maskWidth + 1, gw + 3, gw + 3, gw + 2 * radius,
                     2 * key.frameWidth, 2 * key.frameWidth, key.maskWidth * key.maskHeight]
        floats = .allocate(capacity: sizes.reduce(0, +))
        floats.initialize(repeating: 0, count: sizes.reduce(0, +))
        var carved = [UnsafeMutablePointer<Float>]()
        var offset = 0
        for size in sizes {
            carved.append(floats + offset)
            offset += size
        }
        (guide, mask, product, square) = (carved[0], carved[1], carved[2], carved[3])
        (meanGuide, meanMask, meanProduct, meanSquare) = (carved[4], carved[5], carved[6], carved[7])
        (inverseCountX, inverseCountY) = (carved[8], carved[9])
        (maskRow, gridRowA, gridRowB, padded) = (carved[10], carved[11] + 1, carved[12] + 1, carved[13])
        (frameRowsA, frameRowsB) = (carved[14], carved[15])
        maskSizeGuide = carved[16]
        for x in 0..<gw { inverseCountX[x] = 1 / Float(min(gw - 1, x + radius) - max(0, x - radius) + 1) }
        for y in 0..<gh { inverseCountY[y] = 1 / Float(min(gh - 1, y + radius) - max(0, y - radius) + 1) }
        horizontalFactor = Self.fixedPattern(gridToFrameX, grid: gw)
    }

    /// The factor r (2 or 4) if frame column x = r * g + k interpolates from grid column g - 1
    /// (k < r / 2) or g (k >= r / 2) with `axis`'s own weight, reading the repeated edge at g - 1 = -1
    /// where the axis clamps (weight 0 there, so the value is the same); else 0.
    private static func fixedPattern(_ axis: BilinearAxis, grid: Int) -> Int {
        let frame = axis.count
        for r in [4, 2] where frame == grid * r {
            let matches = (0..<frame).allSatisfy { x in
                let tap = x / r + (x % r < r / 2 ? -1 : 0)
                return Int(axis.index[x]) == tap || (tap == -1 && axis.index[x] == 0 && axis.weight[x] == 0)
            }
            return matches ? r : 0
        }
        return 0
    }

    deinit {
        floats.deallocate()
    }

    /// The guide at mask size from the frame's luma.
    func setMaskSizeGuide(averaging luma: UnsafePointer<UInt8>) {
        MaskResampling.areaAverage(luma, width: key.frameWidth, height: key.frameHeight, into: maskSizeGuide,
                                   width: key.maskWidth, height: key.maskHeight, scale: 1 / 255)
    }

    /// The guide at mask size from luma averaged by the caller, in 0...255.
    func setMaskSizeGuide(from averaged: UnsafePointer<Float>) {
        for k in 0..<key.maskWidth * key.maskHeight { maskSizeGuide[k] = averaged[k] * (1 / 255) }
    }

    /// Fits a and b on the grid and writes q; the mask-size guide must be set first.
    func run(mask source: UnsafePointer<Float>, luma: UnsafePointer<UInt8>,
             output: UnsafeMutablePointer<Float>, epsilon: Float) {
        let n = gridWidth * gridHeight
        let (guide, mask, product, square) = (self.guide, self.mask, self.product, self.square)
        MaskResampling.resizeBilinear(source, width: key.maskWidth, height: key.maskHeight, into: mask,
                                      width: gridWidth, xAxis: maskToGridX, yAxis: maskToGridY, row: maskRow)
        // The guide takes the mask's path (area average to mask size, bilinear to the grid), so
        // both are equally blurred when a and b are fitted: see GuidedUpsampler's comment.
        MaskResampling.resizeBilinear(maskSizeGuide, width: key.maskWidth, height: key.maskHeight, into: guide,
                                      width: gridWidth, xAxis: maskToGridX, yAxis: maskToGridY, row: maskRow)
        for k in 0..<n {
            product[k] = guide[k] * mask[k]
            square[k] = guide[k] * guide[k]
        }
        boxMean(guide, into: meanGuide)
        boxMean(mask, into: meanMask)
        boxMean(product, into: meanProduct)
        boxMean(square, into: meanSquare)
        // a and b overwrite I*p and I*I; a is divided by 255 here to apply to raw luma later.
        let (mi, mp, mip, mii) = (meanGuide, meanMask, meanProduct, meanSquare)
        for k in 0..<n {
            let variance = max(0, mii[k] - mi[k] * mi[k])
            let a = (mip[k] - mi[k] * mp[k]) / (variance + epsilon)
            product[k] = a * (1 / 255)
            square[k] = mp[k] - a * mi[k]
        }
        boxMean(product, into: meanProduct)
        boxMean(square, into: meanSquare)
        applyCoefficients(a: meanProduct, b: meanSquare, luma: luma, output: output)
    }

    /// Box mean over the clipped (2r + 1)^2 window: running column sums down the rows, kept
    /// between zero pads, then a direct horizontal window sum scaled in the same pass (all vectorise).
    func boxMean(_ source: UnsafeMutablePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        let (w, h, r) = (gridWidth, gridHeight, radius)
        let (padded, inverseX, inverseY) = (self.padded, inverseCountX, inverseCountY)
        let column = padded + r
        column.update(repeating: 0, count: w)
        for y in 0..<min(r, h - 1) + 1 {
            let line = source + y * w
            for x in 0..<w { column[x] += line[x] }
        }
        for y in 0..<h {
            let out = destination + y * w
            let scaleY = inverseY[y]
            if r == 2 {
                let (p1, p2, p3, p4) = (padded + 1, padded + 2, padded + 3, padded + 4)
                for x in 0..<w {
                    out[x] = ((((padded[x] + p1[x]) + p2[x]) + p3[x]) + p4[x]) * (inverseX[x] * scaleY)
                }
            } else {
                for x in 0..<w { out[x] = padded[x] }
                for k in 0..<2 * r {
                    let shifted = padded + k + 1
                    for x in 0..<w { out[x] += shifted[x] }
                }
                for x in 0..<w { out[x] *= inverseX[x] * scaleY }
            }
            let entering = y + r + 1 < h ? source + (y + r + 1) * w : nil
            let leaving = y - r >= 0 ? source + (y - r) * w : nil
            if let entering, let leaving {
                for x in 0..<w { column[x] = (column[x] + entering[x]) - leaving[x] }
            } else if let entering {
                for x in 0..<w { column[x] += entering[x] }
            } else if let leaving {
                for x in 0..<w { column[x] -= leaving[x] }
            }
        }
    }

    /// One grid row bilinearly upsampled to frame width, through `row` (padded as `gridRowA`).
    func upsampleRow(_ source: UnsafePointer<Float>, padded row: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>,
                     xIndex: UnsafePointer<Int32>, xWeight: UnsafePointer<Float>) {
        let gw = gridWidth
        row.update(from: source, count: gw)
        row[-1] = row[0]
        (row[gw], row[gw + 1]) = (row[gw - 1], row[gw - 1])
        typealias Vector = SIMD4<Float>
        func load(_ p: UnsafePointer<Float>) -> Vector { UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
        func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self) }
        var done = 0
        switch horizontalFactor {
        case 4:
            for g in 0..<gridWidth {
                let v = load(row + g - 1)
                let lo = Vector(v[0], v[0], v[1], v[1]), hi = Vector(v[1], v[1], v[2], v[2])
                store(lo + load(xWeight + 4 * g) * (hi - lo), out + 4 * g)
            }
            done = key.frameWidth
        case 2:
            for g in stride(from: 0, to: gridWidth - 1, by: 2) {
                let v = load(row + g - 1)
                let lo = Vector(v[0], v[1], v[1], v[2]), hi = Vector(v[1], v[2], v[2], v[3])
                store(lo + load(xWeight + 2 * g) * (hi - lo), out + 2 * g)
            }
            done = 2 * (gridWidth / 2 * 2)
        default:
            break
        }
        for x in done..<key.frameWidth {
            let i = Int(xIndex[x]), wx = xWeight[x]
            out[x] = row[i] + wx * (row[i + 1] - row[i])
        }
    }

    /// q = mean_a * I + mean_b at full resolution with mean_a, mean_b bilinearly upsampled. Each
    /// grid row is upsampled horizontally once, into one of two slots kept while frame rows need it.
    func applyCoefficients(a gridA: UnsafeMutablePointer<Float>, b gridB: UnsafeMutablePointer<Float>,
                           luma: UnsafePointer<UInt8>, output: UnsafeMutablePointer<Float>) {
        let (frameWidth, frameHeight, gw, gh) = (key.frameWidth, key.frameHeight, gridWidth, gridHeight)
        let (rowsA, rowsB, rowA, rowB) = (frameRowsA, frameRowsB, gridRowA, gridRowB)
        var tags = (-1, -1)
        gridToFrameX.index.withUnsafeBufferPointer { xIndex in
            gridToFrameX.weight.withUnsafeBufferPointer { xWeight in
                // The slot (0 or 1) holding grid row `g`, filled if needed without evicting `keep`.
                func slot(for g: Int, keep: Int) -> Int {
                    if tags.0 == g { return 0 }
                    if tags.1 == g { return 1 }
                    let s = tags.0 == keep ? 1 : 0
                    upsampleRow(gridA + g * gw, padded: rowA, into: rowsA + s * frameWidth,
                                xIndex: xIndex.baseAddress!, xWeight: xWeight.baseAddress!)
                    upsampleRow(gridB + g * gw, padded: rowB, into: rowsB + s * frameWidth,
                                xIndex: xIndex.baseAddress!, xWeight: xWeight.baseAddress!)
                    if s == 0 { tags.0 = g } else { tags.1 = g }
                    return s
                }
                for y in 0..<frameHeight {
                    let g0 = Int(gridToFrameY.index[y]), g1 = min(g0 + 1, gh - 1)
                    let s0 = slot(for: g0, keep: g1), s1 = slot(for: g1, keep: g0)
                    let wy = gridToFrameY.weight[y]
                    let a0 = rowsA + s0 * frameWidth, a1 = rowsA + s1 * frameWidth
                    let b0 = rowsB + s0 * frameWidth, b1 = rowsB + s1 * frameWidth
                    let line = luma + y * frameWidth, out = output + y * frameWidth
                    for x in 0..<frameWidth {
                        let a = a0[x] + wy * (a1[x] - a0[x])
                        let b = b0[x] + wy * (b1[x] - b0[x])
                        let q = a * Float(line[x]) + b
                        // Clamped to [0, 1] (NaN passes), written so that it maps to minps and maxps.
                        let c = q > 1 ? 1 : q
                        out[x] = c < 0 ? 0 : c
                    }
                }
            }
        }
    }
}
