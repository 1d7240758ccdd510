import BackdropCore

/// Resampling shared by mask refinement: bilinear resize of masks and area averaging of 8-bit planes.
///
/// Bilinear sampling uses half-pixel centres (source x = (x + 0.5) * sourceWidth / width - 0.5,
/// clamped at the borders), the convention of TFLite's RESIZE_BILINEAR and MediaPipe, so a
/// model-size mask lines up with the frame it was computed from.
public enum MaskResampling {
    /// Plain bilinear resize of `mask` to `width` x `height`: the baseline the guided upsampler beats.
    public static func bilinearUpsample(_ mask: Mask, width: Int, height: Int) -> Mask {
        var output = Mask(width: width, height: height)
        bilinearUpsample(mask, into: &output)
        return output
    }

    /// Bilinear resize of `mask` to the size of `output`, overwriting its values.
    public static func bilinearUpsample(_ mask: Mask, into output: inout Mask) {
        let xAxis = BilinearAxis(source: mask.width, destination: output.width)
        let yAxis = BilinearAxis(source: mask.height, destination: output.height)
        var row = [Float](repeating: 0, count: mask.width + 1)
        let outputWidth = output.width
        mask.values.withUnsafeBufferPointer { source in
            output.values.withUnsafeMutableBufferPointer { destination in
                row.withUnsafeMutableBufferPointer { row in
                    resizeBilinear(source.baseAddress!, width: mask.width, height: mask.height,
                                   into: destination.baseAddress!, width: outputWidth,
                                   xAxis: xAxis, yAxis: yAxis, row: row.baseAddress!)
                }
            }
        }
    }

    /// Mean of `plane` (`width` x `height`) over the cells of a `toWidth` x `toHeight` grid.
    ///
    /// Cell x covers source columns `x * width / toWidth ..< (x + 1) * width / toWidth`, so each
    /// source pixel counts exactly once; for integer ratios that is the exact box average. Used to
    /// make the model-size guide of `TemporalSmoother` from a frame's luma (values stay in 0...255).
    public static func areaAverage(_ plane: [UInt8], width: Int, height: Int,
                                   toWidth: Int, toHeight: Int, into output: inout [Float]) {
        precondition(plane.count == width * height, "plane is \(plane.count) bytes, expected \(width)x\(height)")
        precondition(toWidth > 0 && toHeight > 0, "area average to \(toWidth)x\(toHeight)")
        if output.count != toWidth * toHeight {
            output = [Float](repeating: 0, count: toWidth * toHeight)
        }
        plane.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                areaAverage(source.baseAddress!, width: width, height: height,
                            into: destination.baseAddress!, width: toWidth, height: toHeight, scale: 1)
            }
        }
    }

    /// Convenience form of `areaAverage(_:width:height:toWidth:toHeight:into:)` that allocates.
    public static func areaAverage(_ plane: [UInt8], width: Int, height: Int,
                                   toWidth: Int, toHeight: Int) -> [Float] {
        var output = [Float]()
        areaAverage(plane, width: width, height: height, toWidth: toWidth, toHeight: toHeight, into: &output)
        return output
    }

    // MARK: - Kernels on raw buffers (shared with GuidedUpsampler)

    /// Bilinear resize; `row` needs `width + 1` floats of scratch (the extra one pads the right edge).
    static func resizeBilinear(_ source: UnsafePointer<Float>, width: Int, height: Int,
                               into destination: UnsafeMutablePointer<Float>, width outputWidth: Int,
                               xAxis: BilinearAxis, yAxis: BilinearAxis, row: UnsafeMutablePointer<Float>) {
        xAxis.index.withUnsafeBufferPointer { xIndex in
            xAxis.weight.withUnsafeBufferPointer { xWeight in
                for y in 0..<yAxis.count {
                    let top = source + Int(yAxis.index[y]) * width
                    let bottom = source + min(Int(yAxis.index[y]) + 1, height - 1) * width
                    let wy = yAxis.weight[y]
                    for x in 0..<width { row[x] = top[x] + wy * (bottom[x] - top[x]) }
                    row[width] = row[width - 1]
                    let out = destination + y * outputWidth
                    for x in 0..<outputWidth {
                        let i = Int(xIndex[x])
                        out[x] = row[i] + xWeight[x] * (row[i + 1] - row[i])
                    }
                }
            }
        }
    }

    /// Area average (see the public form), multiplied by `scale`.
    ///
    /// The rows of a cell are summed into column totals first, two rows per pass, in 16-bit lanes
    /// when no cell is taller than 257 rows (257 * 255 fits); then each cell adds its columns.
    static func areaAverage(_ source: UnsafePointer<UInt8>, width: Int, height: Int,
                            into destination: UnsafeMutablePointer<Float>, width outputWidth: Int,
                            height outputHeight: Int, scale: Float) {
        let tallest = (0..<outputHeight).reduce(0) { tallest, cellY in
            let (y0, y1) = cellRange(cellY, cells: outputHeight, pixels: height)
            return max(tallest, y1 - y0)
        }
        if tallest <= 257 {
            areaAverage(source, width: width, height: height, into: destination, width: outputWidth,
                        height: outputHeight, scale: scale, totals: UInt16.self)
        } else {
            areaAverage(source, width: width, height: height, into: destination, width: outputWidth,
                        height: outputHeight, scale: scale, totals: UInt32.self)
        }
    }

    private static func areaAverage<Total: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafePointer<UInt8>, width: Int, height: Int, into destination: UnsafeMutablePointer<Float>,
        width outputWidth: Int, height outputHeight: Int, scale: Float, totals _: Total.Type
    ) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * outputWidth) { columns in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: outputWidth) { factors in
                withUnsafeTemporaryAllocation(of: Total.self, capacity: width) { totals in
                    for cellX in 0..<outputWidth {
                        (columns[2 * cellX], columns[2 * cellX + 1]) = cellRange(cellX, cells: outputWidth, pixels: width)
                    }
                    var factorRows = 0
                    for cellY in 0..<outputHeight {
                        let (y0, y1) = cellRange(cellY, cells: outputHeight, pixels: height)
                        let rows = y1 - y0
                        if rows != factorRows {
                            // Rows of cells mostly share one height: divide once per height.
                            for cellX in 0..<outputWidth {
                                factors[cellX] = scale / Float((columns[2 * cellX + 1] - columns[2 * cellX]) * rows)
                            }
                            factorRows = rows
                        }
                        sumRows(source + y0 * width, width: width, rows: rows, into: totals.baseAddress!)
                        let out = destination + cellY * outputWidth
                        for cellX in 0..<outputWidth {
                            var sum: UInt32 = 0
                            for x in columns[2 * cellX]..<columns[2 * cellX + 1] { sum &+= UInt32(totals[x]) }
                            out[cellX] = Float(sum) * factors[cellX]
                        }
                    }
                }
            }
        }
    }

    /// Column totals of `rows` (>= 1) consecutive lines of `width` bytes.
    @inline(__always)
    private static func sumRows<Total: FixedWidthInteger & UnsignedInteger>(
        _ first: UnsafePointer<UInt8>, width: Int, rows: Int, into totals: UnsafeMutablePointer<Total>
    ) {
        var y = 1
        if rows >= 2 {
            let second = first + width
            for x in 0..<width { totals[x] = Total(first[x]) &+ Total(second[x]) }
            y = 2
        } else {
            for x in 0..<width { totals[x] = Total(first[x]) }
        }
        while y + 1 < rows {
            let a = first + y * width, b = a + width
            for x in 0..<width { totals[x] &+= Total(a[x]) &+ Total(b[x]) }
            y += 2
        }
        if y < rows {
            let a = first + y * width
            for x in 0..<width { totals[x] &+= Total(a[x]) }
        }
    }

    /// Source pixels of one area-average cell; never empty, even when there are more cells than pixels.
    static func cellRange(_ cell: Int, cells: Int, pixels: Int) -> (Int, Int) {
        let start = min(cell * pixels / cells, pixels - 1)
        return (start, max(start + 1, (cell + 1) * pixels / cells))
    }
}

/// Precomputed bilinear taps along one axis: for each destination index, the lower source index
/// and the weight of the next one (half-pixel centres, clamped to the edges).
struct BilinearAxis {
    var index: [Int32]
    var weight: [Float]
    var count: Int { index.count }

    init(source: Int, destination: Int) {
        precondition(source > 0 && destination > 0, "bilinear axis \(source) -> \(destination)")
        index = [Int32](repeating: 0, count: destination)
        weight = [Float](repeating: 0, count: destination)
        let scale = Double(source) / Double(destination)
        for d in 0..<destination {
            let s = (Double(d) + 0.5) * scale - 0.5
            if s <= 0 {
                index[d] = 0
            } else if s >= Double(source - 1) {
                index[d] = Int32(source - 1)
            } else {
                let i = Int(s)
                index[d] = Int32(i)
                weight[d] = Float(s - Double(i))
            }
        }
    }
}
