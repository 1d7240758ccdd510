/// What the picture keeps: the coded mask dilated by a margin (so the receiver's soft edges have
/// real picture under them) plus the preserve boxes. Gives per-plane weights (255 kept, 0
/// padded, a bilinear ramp between) and the macroblocks that hold nothing of it.
struct PreservedRegion {
    /// The mask after dilation, at mask resolution.
    let dilated: BinaryMask
    /// The mask itself: the ring `dilated` minus `core` is real room around the person, what
    /// the padding extrapolates.
    let core: BinaryMask
    let boxes: [PreserveBox]
    let frameWidth: Int
    let frameHeight: Int

    init(mask: BinaryMask, margin: Int, boxes: [PreserveBox], frameWidth: Int, frameHeight: Int) {
        dilated = margin > 0 ? Self.dilate(mask, by: margin) : mask
        core = mask
        self.boxes = boxes.compactMap { $0.clipped(width: frameWidth, height: frameHeight) }
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
    }

    /// Square dilation (a (2r+1)^2 maximum), separable.
    static func dilate(_ mask: BinaryMask, by radius: Int) -> BinaryMask {
        let w = mask.width, h = mask.height
        var rows = [UInt8](repeating: 0, count: w * h)
        var out = [UInt8](repeating: 0, count: w * h)
        mask.bits.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { tmp in
                for y in 0..<h {
                    let s = src.baseAddress! + y * w, t = tmp.baseAddress! + y * w
                    for x in 0..<w where s[x] != 0 {
                        for k in max(0, x - radius)...min(w - 1, x + radius) { t[k] = 1 }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { tmp in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let t = tmp.baseAddress! + y * w
                    for k in max(0, y - radius)...min(h - 1, y + radius) {
                        let d = dst.baseAddress! + k * w
                        for x in 0..<w { d[x] |= t[x] }
                    }
                }
            }
        }
        return BinaryMask(width: w, height: h, bits: out)
    }

    /// Weights for a plane of `width` x `height` covering the frame (luma, or chroma at half
    /// size): the dilated mask (or, with `core`, the mask itself) bilinearly resized (half-pixel
    /// centres) to 0...255; 255 in boxes unless `core`.
    func weights(width: Int, height: Int, core useCore: Bool = false, into output: UnsafeMutablePointer<UInt8>) {
        let source = useCore ? core : dilated
        let mw = source.width, mh = source.height
        let xTaps = Self.taps(source: mw, destination: width)
        let yTaps = Self.taps(source: mh, destination: height)
        let xLow = xTaps.map { $0.0 }, xHigh = xTaps.map { $0.1 }, xFraction = xTaps.map { $0.2 }
        var vertical = [UInt32](repeating: 0, count: mw)
        source.bits.withUnsafeBufferPointer { bits in
        vertical.withUnsafeMutableBufferPointer { vertical in
        xLow.withUnsafeBufferPointer { xLow in
        xHigh.withUnsafeBufferPointer { xHigh in
        xFraction.withUnsafeBufferPointer { xFraction in
            let m = bits.baseAddress!, v = vertical.baseAddress!
            for y in 0..<height {
                let (i0, i1, fy) = yTaps[y]
                let r0 = m + i0 * mw, r1 = m + i1 * mw
                var any: UInt32 = 0
                let fy0 = 256 &- fy
                for j in 0..<mw {
                    let value = UInt32(r0[j]) &* fy0 &+ UInt32(r1[j]) &* fy
                    v[j] = value
                    any |= value
                }
                let out = output + y * width
                if any == 0 {
                    out.update(repeating: 0, count: width)
                    continue
                }
                // Only the span between the first and last mask column with any weight.
                var first = 0, last = mw - 1
                while v[first] == 0 { first += 1 }
                while v[last] == 0 { last -= 1 }
                var x0 = 0, x1 = width
                while x0 < width && xHigh[x0] < first { x0 += 1 }
                while x1 > x0 && xLow[x1 - 1] > last { x1 -= 1 }
                out.update(repeating: 0, count: x0)
                (out + x1).update(repeating: 0, count: width - x1)
                for x in x0..<x1 {
                    let fx = xFraction[x]
                    // v is 0...256 here; * 256 more, then to 0...255 with rounding. No overflow:
                    // at most 65536 * 255 + 32768.
                    let w = v[xLow[x]] &* (256 &- fx) &+ v[xHigh[x]] &* fx
                    out[x] = UInt8(truncatingIfNeeded: (w &* 255 &+ 32768) >> 16)
                }
            }
        }
        }
        }
        }
        }
        guard !useCore else { return }
        let scaleX = Double(width) / Double(frameWidth), scaleY = Double(height) / Double(frameHeight)
        for box in boxes {
            let x0 = Int((Double(box.x) * scaleX).rounded(.down)), x1 = min(width, Int((Double(box.x + box.width) * scaleX).rounded(.up)))
            let y0 = Int((Double(box.y) * scaleY).rounded(.down)), y1 = min(height, Int((Double(box.y + box.height) * scaleY).rounded(.up)))
            guard x1 > x0 else { continue }
            for y in y0..<max(y0, y1) { (output + y * width + x0).update(repeating: 255, count: x1 - x0) }
        }
    }

    /// Per destination index: lower and upper source index and the upper's weight in 0...256.
    static func taps(source: Int, destination: Int) -> [(Int, Int, UInt32)] {
        let scale = Double(source) / Double(destination)
        return (0..<destination).map { d in
            let s = (Double(d) + 0.5) * scale - 0.5
            if s <= 0 { return (0, 0, 0) }
            if s >= Double(source - 1) { return (source - 1, source - 1, 0) }
            let i = Int(s)
            return (i, i + 1, UInt32(((s - Double(i)) * 256).rounded()))
        }
    }

    /// Macroblocks (16x16 luma) with no weight at all, as runs per macroblock row: where a
    /// region-of-interest offset may raise the quantiser without touching the preserved region.
    func backgroundMacroblockRuns(weights: UnsafePointer<UInt8>) -> [(row: Int, start: Int, end: Int)] {
        let mbw = (frameWidth + 15) / 16, mbh = (frameHeight + 15) / 16
        var used = [Bool](repeating: false, count: mbw)
        var runs: [(row: Int, start: Int, end: Int)] = []
        for mby in 0..<mbh {
            for k in 0..<mbw { used[k] = false }
            for y in (mby * 16)..<min(frameHeight, mby * 16 + 16) {
                let row = weights + y * frameWidth
                var x = 0
                // Eight pixels at a time (a macroblock row is two such words): most are zero.
                while x + 8 <= frameWidth {
                    if UnsafeRawPointer(row + x).loadUnaligned(as: UInt64.self) != 0 { used[x >> 4] = true }
                    x += 8
                }
                while x < frameWidth {
                    if row[x] != 0 { used[x >> 4] = true }
                    x += 1
                }
            }
            var x = 0
            while x < mbw {
                guard !used[x] else { x += 1; continue }
                let start = x
                while x < mbw && !used[x] { x += 1 }
                runs.append((mby, start, x))
            }
        }
        return runs
    }
}
