import BackdropCore

/// Renders a scene description into a full-resolution yuv420p background: per-label colour
/// with its shading field, blended softly across label boundaries, procedural texture matched
/// to each label's statistics, and the sketch's edges.
///
/// Integer arithmetic only, with a specified generator (docs/bitstream.md §6): the same
/// description gives the same bytes on every machine. Keeps its noise tables between calls
/// (they depend only on the seed). Not thread-safe: one per thread.
public final class BackgroundSynthesizer {
    private var noise: NoiseField?
    private var noiseSeed: UInt32 = 0
    /// Calibration only: every label's (gain / 4096)² per band (Q16) instead of the solved ones.
    var calibrationSquares: [Int]?

    public init() {}

    /// The background at `width` x `height` (by default the description's frame size).
    public func synthesize(_ scene: SceneDescription, width: Int? = nil, height: Int? = nil) throws(SceneError) -> VideoFrame {
        try scene.validate()
        let width = width ?? scene.frameWidth, height = height ?? scene.frameHeight
        guard (2...SceneDescription.maximumFrameSide).contains(width),
              (2...SceneDescription.maximumFrameSide).contains(height) else {
            throw .invalidSize(what: "synthesized frame", width: width, height: height,
                               limit: "2...\(SceneDescription.maximumFrameSide) per side")
        }
        if noise == nil || noiseSeed != scene.seed {
            noise = NoiseField(seed: scene.seed)
            noiseSeed = scene.seed
        }
        let noise = noise!
        let grid = CellColours(scene: scene)
        var textures: [Int] = []
        for (label, appearance) in scene.appearances.enumerated() {
            TextureModel.parameters(of: appearance, label: label, noise: noise, into: &textures,
                                    fixedSquares: calibrationSquares)
        }
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        var y = [UInt8](repeating: 0, count: width * height)
        var u = [UInt8](repeating: 0, count: chromaWidth * chromaHeight)
        var v = [UInt8](repeating: 0, count: chromaWidth * chromaHeight)
        renderLuma(into: &y, width: width, height: height, grid: grid, labels: scene.labels,
                   textures: textures, noise: noise)
        renderChroma(into: &u, grid.u, width: chromaWidth, height: chromaHeight, gridWidth: grid.width, gridHeight: grid.height)
        renderChroma(into: &v, grid.v, width: chromaWidth, height: chromaHeight, gridWidth: grid.width, gridHeight: grid.height)
        SketchRenderer.draw(scene.sketch, into: &y, width: width, height: height)
        return VideoFrame(width: width, height: height, y: y, u: u, v: v)
    }

    // MARK: - Luma

    private func renderLuma(into output: inout [UInt8], width: Int, height: Int, grid: CellColours,
                            labels: LabelMap, textures: [Int], noise: NoiseField) {
        let columns = AxisMap(outputSize: width, cells: grid.width)
        let rows = AxisMap(outputSize: height, cells: grid.height)
        let gw = grid.width
        var rowBase = [Int](repeating: 0, count: gw)
        // Per label and band, the y-dependent part of the two lattice coordinates.
        let bandCount = StarletBands.count, fields = TextureModel.fieldsPerBand
        var rowOffsets = [Int](repeating: 0, count: textures.count / fields * 2)
        let tableSide = NoiseField.tableSide, tableCells = tableSide * tableSide, mask = tableSide - 1
        output.withUnsafeMutableBufferPointer { out in
        grid.y.withUnsafeBufferPointer { cellY in
        labels.labels.withUnsafeBufferPointer { cellLabel in
        textures.withUnsafeBufferPointer { tex in
        noise.pixelNoise.withUnsafeBufferPointer { pixelNoise in
        noise.smooth.withUnsafeBufferPointer { smoothNoise in
        noise.ditherX.withUnsafeBufferPointer { ditherX in
        noise.ditherY.withUnsafeBufferPointer { ditherY in
        rowBase.withUnsafeMutableBufferPointer { base in
        rowOffsets.withUnsafeMutableBufferPointer { offsets in
        columns.first.withUnsafeBufferPointer { col0 in
        columns.second.withUnsafeBufferPointer { col1 in
        columns.fraction.withUnsafeBufferPointer { colF in
            for py in 0..<height {
                let j0 = Int(rows.first[py]), j1 = Int(rows.second[py]), fy = Int(rows.fraction[py])
                for i in 0..<gw {
                    base[i] = cellY[j0 * gw + i] * (256 - fy) + cellY[j1 * gw + i] * fy
                }
                for p in 0..<(offsets.count / 2) {
                    if p % bandCount == 0 {
                        offsets[2 * p] = tex[p * fields + 4]
                        offsets[2 * p + 1] = ((py + tex[p * fields + 5]) & 255) << 8
                    } else {
                        offsets[2 * p] = tex[p * fields + 1] * py + tex[p * fields + 4]
                        offsets[2 * p + 1] = tex[p * fields + 3] * py + tex[p * fields + 5]
                    }
                }
                let ditherRow = (py & 63) << 6
                let labelRow0 = j0 * gw, labelRow1 = j1 * gw
                // Wrapping arithmetic: the values are bounded by construction, and the hot loop
                // should not pay for overflow checks.
                let outRow = py &* width
                for px in 0..<width {
                    let i0 = Int(col0[px]), i1 = Int(col1[px]), fx = Int(colF[px])
                    let smooth = base[i0] &* (256 &- fx) &+ base[i1] &* fx  // Q24
                    // Which label's texture: the nearer cell, dithered across the cell so the
                    // change of texture at a boundary is as soft as the change of colour.
                    let d = ditherRow | (px & 63)
                    let column = fx > Int(ditherX[d]) ? i1 : i0
                    let label = Int(cellLabel[(fy > Int(ditherY[d]) ? labelRow1 : labelRow0) &+ column])
                    let p0 = label &* bandCount
                    let t0 = p0 &* fields
                    var texture = 0
                    let gain0 = tex[t0 &+ 6]
                    if gain0 != 0 {
                        let o = p0 &<< 1
                        texture = gain0 &* (Int(pixelNoise[offsets[o &+ 1] | ((px &+ offsets[o]) & 255)]) &<< 8)
                    }
                    for band in 1..<bandCount {
                        let p = p0 &+ band
                        let t = p &* fields
                        let gain = tex[t &+ 6]
                        if gain == 0 { continue }
                        let o = p &<< 1
                        let uu = tex[t] &* px &+ offsets[o]
                        let vv = tex[t &+ 2] &* px &+ offsets[o &+ 1]
                        let iu = (uu &>> 16) & mask, fu = (uu &>> 8) & 255
                        let iv = (vv &>> 16) & mask, fv = (vv &>> 8) & 255
                        let plane = (band &- 1) &* tableCells
                        let row0 = plane &+ iv &* tableSide, row1 = plane &+ ((iv &+ 1) & mask) &* tableSide
                        let iu1 = (iu &+ 1) & mask
                        let top = Int(smoothNoise[row0 &+ iu]) &* (256 &- fu) &+ Int(smoothNoise[row0 &+ iu1]) &* fu
                        let bottom = Int(smoothNoise[row1 &+ iu]) &* (256 &- fu) &+ Int(smoothNoise[row1 &+ iu1]) &* fu
                        texture = texture &+ gain &* ((top &* (256 &- fv) &+ bottom &* fv) &>> 12)  // Q20 code values
                    }
                    let luma = (smooth &+ (texture &<< 4) &+ (1 &<< 23)) &>> 24
                    out[outRow &+ px] = UInt8(truncatingIfNeeded: luma < 0 ? 0 : (luma > 255 ? 255 : luma))
                }
            }
        }}}}}}}}}}}}}
    }

    // MARK: - Chroma

    private func renderChroma(into output: inout [UInt8], _ cells: [Int], width: Int, height: Int,
                              gridWidth: Int, gridHeight: Int) {
        let columns = AxisMap(outputSize: width, cells: gridWidth)
        let rows = AxisMap(outputSize: height, cells: gridHeight)
        var base = [Int](repeating: 0, count: gridWidth)
        for py in 0..<height {
            let j0 = Int(rows.first[py]), j1 = Int(rows.second[py]), fy = Int(rows.fraction[py])
            for i in 0..<gridWidth {
                base[i] = cells[j0 * gridWidth + i] * (256 - fy) + cells[j1 * gridWidth + i] * fy
            }
            for px in 0..<width {
                let fx = Int(columns.fraction[px])
                let value = (base[Int(columns.first[px])] * (256 - fx) + base[Int(columns.second[px])] * fx
                             + (1 << 23)) >> 24
                output[py * width + px] = UInt8(FixedPoint.clamp(value, 0, 255))
            }
        }
    }
}
