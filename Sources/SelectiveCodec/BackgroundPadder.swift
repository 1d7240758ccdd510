import BackdropCore

/// Replaces the picture outside the preserved region by a padding that costs almost nothing to
/// code and leaves no hard edge at the silhouette: out = w·picture + (1 − w)·base, with w the
/// region's weight (255 inside, a bilinear ramp about one mask pixel wide at its edge).
///
/// The base, in `.pushPull` mode, is a push-pull extrapolation (Gortler et al. 1996) of the
/// preserved region on a grid of 8x8-pixel cells, bilinearly interpolated back to full size —
/// but only where the padding is new: a pixel that was padding in the previous frame keeps its
/// previous value. So the padding stays perfectly still however the person moves (x264 codes it
/// as skipped blocks; a freshly extrapolated field would shift with every movement and cost
/// bits), and only the area the person uncovers gets a fresh, edge-free extrapolation. It is
/// refreshed whole at every IDR picture. In `.flat` mode the base is mid grey.
///
/// The fill sees the picture only through the region's weights: nothing of the room beyond the
/// margin reaches it. Holds scratch memory and the previous output: one instance per stream.
final class BackgroundPadder {
    let mode: PaddingMode
    /// Whether padding carries over from frame to frame (off: extrapolated afresh every frame).
    let hold: Bool
    private var planes = [PaddedPlane(), PaddedPlane(), PaddedPlane()]
    private var lumaWeights: [UInt8] = []
    private var chromaWeights: [UInt8] = []

    init(mode: PaddingMode, hold: Bool = true) {
        self.mode = mode
        self.hold = hold
    }

    /// Pads `frame` in place (`refresh`: forget the previous padding, e.g. at an IDR picture)
    /// and returns the luma weights for the region-of-interest map.
    func pad(_ frame: inout VideoFrame, region: PreservedRegion, refresh: Bool) -> [UInt8] {
        let (w, h, cw, ch) = (frame.width, frame.height, frame.chromaWidth, frame.chromaHeight)
        if lumaWeights.count != w * h { lumaWeights = [UInt8](repeating: 0, count: w * h) }
        if chromaWeights.count != cw * ch { chromaWeights = [UInt8](repeating: 0, count: cw * ch) }
        lumaWeights.withUnsafeMutableBufferPointer { region.weights(width: w, height: h, into: $0.baseAddress!) }
        guard mode != .none else { return lumaWeights }
        chromaWeights.withUnsafeMutableBufferPointer { region.weights(width: cw, height: ch, into: $0.baseAddress!) }
        let flat: Float? = mode == .flat ? 128 : nil
        planes[0].pad(&frame.y, weights: lumaWeights, width: w, height: h, cell: 8, flat: flat, hold: hold && !refresh)
        planes[1].pad(&frame.u, weights: chromaWeights, width: cw, height: ch, cell: 4, flat: flat, hold: hold && !refresh)
        planes[2].pad(&frame.v, weights: chromaWeights, width: cw, height: ch, cell: 4, flat: flat, hold: hold && !refresh)
        return lumaWeights
    }
}

/// One plane's padding state: the previous padding and weights, and the fill grid.
struct PaddedPlane {
    /// Last output where it was pure padding (weight 0); other entries are stale.
    private var previous: [UInt8] = []
    private var previousWeights: [UInt8] = []
    private var grid = PushPullGrid()

    mutating func pad(_ plane: inout [UInt8], weights: [UInt8], width w: Int, height h: Int, cell: Int,
                      flat: Float?, hold requested: Bool) {
        if let flat {
            grid.setFlat(width: (w + cell - 1) / cell, height: (h + cell - 1) / cell, value: flat)
        } else {
            plane.withUnsafeBufferPointer { p in
                weights.withUnsafeBufferPointer { wt in
                    grid.accumulate(p.baseAddress!, weights: wt.baseAddress!, width: w, height: h, cell: cell)
                }
            }
            grid.pushPull()
        }
        let hold = requested && previous.count == w * h
        if previous.count != w * h {
            previous = [UInt8](repeating: 0, count: w * h)
            previousWeights = [UInt8](repeating: 255, count: w * h)
        }
        // Pixel centres on the grid of cell centres.
        let xTaps = Taps(source: grid.width, destination: grid.width * cell, count: w)
        let yTaps = Taps(source: grid.height, destination: grid.height * cell, count: h)
        let gw = grid.width
        plane.withUnsafeMutableBufferPointer { p in
            weights.withUnsafeBufferPointer { wt in
                previous.withUnsafeMutableBufferPointer { held in
                    previousWeights.withUnsafeMutableBufferPointer { heldWeights in
                        grid.values.withUnsafeBufferPointer { values in
                            xTaps.withPointers { xLow, xHigh, xFraction in
                                let g = values.baseAddress!
                                for y in 0..<h {
                                    let out = p.baseAddress! + y * w, weight = wt.baseAddress! + y * w
                                    let last = held.baseAddress! + y * w, lastWeight = heldWeights.baseAddress! + y * w
                                    let b = yTaps.fraction[y], a = 1 - b
                                    let g0 = g + yTaps.low[y] * gw, g1 = g + yTaps.high[y] * gw
                                    var x = 0
                                    while x < w {
                                        // Eight pixels at once where they are all kept, or all
                                        // padding that was padding before (the common cases).
                                        if x + 8 <= w {
                                            let k8 = UnsafeRawPointer(weight + x).loadUnaligned(as: UInt64.self)
                                            if k8 == .max {
                                                x &+= 8
                                                continue
                                            }
                                            if hold && k8 == 0 && UnsafeRawPointer(lastWeight + x).loadUnaligned(as: UInt64.self) == 0 {
                                                UnsafeMutableRawPointer(out + x).storeBytes(
                                                    of: UnsafeRawPointer(last + x).loadUnaligned(as: UInt64.self), as: UInt64.self)
                                                x &+= 8
                                                continue
                                            }
                                        }
                                        let end = min(w, x + 8)
                                        while x < end {
                                            defer { x &+= 1 }
                                            let k = Int32(weight[x])
                                            if k == 255 { continue }
                                            let base: Int32
                                            if hold && lastWeight[x] == 0 {
                                                base = Int32(last[x])
                                            } else {
                                                let j0 = xLow[x], j1 = xHigh[x], d = xFraction[x]
                                                let fill = (g0[j0] * a + g1[j0] * b) * (1 - d) + (g0[j1] * a + g1[j1] * b) * d
                                                base = Int32(max(0, min(255, fill + 0.5)))
                                                if k == 0 { last[x] = UInt8(base) }
                                            }
                                            if k == 0 {
                                                out[x] = UInt8(truncatingIfNeeded: base)
                                            } else {
                                                // At most 255 * 255 + 127: no overflow.
                                                out[x] = UInt8(truncatingIfNeeded: (base &* (255 &- k) &+ Int32(out[x]) &* k &+ 127) / 255)
                                            }
                                        }
                                    }
                                    lastWeight.update(from: weight, count: w)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
