import BackdropCore

/// Puts the person over the background: out = alpha·frame + (1 − alpha)·background, per plane.
///
/// Alpha is quantized to 0...256 and blended in 16-bit fixed point with rounding, so alpha 1
/// gives the frame and alpha 0 the background exactly. Chroma uses the mean alpha of each
/// 2x2 luma block. Alpha outside [0, 1] is clamped, and NaN counts as background.
public struct Compositor: Sendable {
    public init() {}

    /// The composite as a new frame (with the frame's timestamp).
    public func composite(frame: VideoFrame, alpha: Mask, background: VideoFrame) -> VideoFrame {
        var output = VideoFrame(width: frame.width, height: frame.height, fillY: 0, fillU: 0, fillV: 0)
        composite(frame: frame, alpha: alpha, background: background, into: &output)
        return output
    }

    /// The composite, written into `output`'s buffers (replaced only if its size differs).
    public func composite(frame: VideoFrame, alpha: Mask, background: VideoFrame, into output: inout VideoFrame) {
        precondition(alpha.width == frame.width && alpha.height == frame.height,
                     "mask \(alpha.width)x\(alpha.height) does not match frame \(frame.width)x\(frame.height)")
        precondition(background.width == frame.width && background.height == frame.height,
                     "background \(background.width)x\(background.height) does not match frame \(frame.width)x\(frame.height)")
        prepare(&output, for: frame)
        let w = frame.width, h = frame.height, cw = frame.chromaWidth
        // Two rows of luma weights and one of chroma weights, on the stack for common sizes.
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 2 * w + cw) { weights in
            let upper = weights.baseAddress!, lower = upper + w, chroma = lower + w
            alpha.values.withUnsafeBufferPointer { a in
            frame.y.withUnsafeBufferPointer { fy in
            frame.u.withUnsafeBufferPointer { fu in
            frame.v.withUnsafeBufferPointer { fv in
            background.y.withUnsafeBufferPointer { by in
            background.u.withUnsafeBufferPointer { bu in
            background.v.withUnsafeBufferPointer { bv in
            output.y.withUnsafeMutableBufferPointer { oy in
            output.u.withUnsafeMutableBufferPointer { ou in
            output.v.withUnsafeMutableBufferPointer { ov in
                let a = a.baseAddress!, fy = fy.baseAddress!, fu = fu.baseAddress!, fv = fv.baseAddress!
                let by = by.baseAddress!, bu = bu.baseAddress!, bv = bv.baseAddress!
                let oy = oy.baseAddress!, ou = ou.baseAddress!, ov = ov.baseAddress!
                for row in 0..<frame.chromaHeight {
                    let top = 2 * row, bottom = min(top + 1, h - 1)
                    Self.quantize(a + top * w, into: upper, count: w)
                    Self.blend(fy + top * w, over: by + top * w, weights: upper, into: oy + top * w, count: w)
                    // An odd last row pairs with itself.
                    let second = bottom == top ? upper : lower
                    if bottom != top {
                        Self.quantize(a + bottom * w, into: lower, count: w)
                        Self.blend(fy + bottom * w, over: by + bottom * w, weights: lower, into: oy + bottom * w, count: w)
                    }
                    Self.average(upper, second, width: w, into: chroma)
                    let offset = row * cw
                    Self.blend(fu + offset, over: bu + offset, weights: chroma, into: ou + offset, count: cw)
                    Self.blend(fv + offset, over: bv + offset, weights: chroma, into: ov + offset, count: cw)
                }
            }
            }
            }
            }
            }
            }
            }
            }
            }
            }
        }
    }

    /// The fail-closed output: the background alone (alpha 0 everywhere), with the frame's timestamp.
    ///
    /// For frames without a usable mask: nothing of the camera picture gets through.
    public func backgroundOnly(frame: VideoFrame, background: VideoFrame) -> VideoFrame {
        precondition(background.width == frame.width && background.height == frame.height,
                     "background \(background.width)x\(background.height) does not match frame \(frame.width)x\(frame.height)")
        var output = background
        output.pts = frame.pts
        output.timeBase = frame.timeBase
        return output
    }

    /// The fail-closed output copied into `output`'s buffers (replaced only if its size differs).
    public func backgroundOnly(frame: VideoFrame, background: VideoFrame, into output: inout VideoFrame) {
        precondition(background.width == frame.width && background.height == frame.height,
                     "background \(background.width)x\(background.height) does not match frame \(frame.width)x\(frame.height)")
        prepare(&output, for: frame)
        // Copy rather than share: sharing would make the next composite into `output` reallocate.
        Self.copy(background.y, into: &output.y)
        Self.copy(background.u, into: &output.u)
        Self.copy(background.v, into: &output.v)
    }

    private func prepare(_ output: inout VideoFrame, for frame: VideoFrame) {
        if output.width != frame.width || output.height != frame.height {
            output = VideoFrame(width: frame.width, height: frame.height, fillY: 0, fillU: 0, fillV: 0)
        }
        output.pts = frame.pts
        output.timeBase = frame.timeBase
    }

    private static func copy(_ source: [UInt8], into destination: inout [UInt8]) {
        destination.withUnsafeMutableBufferPointer { d in
            _ = d.update(fromContentsOf: source)
        }
    }

    /// Alpha to 0...256 (so that 1 means all frame), rounded to nearest.
    @inline(__always)
    private static func quantize(_ alpha: UnsafePointer<Float>, into weights: UnsafeMutablePointer<UInt16>, count: Int) {
        for x in 0..<count {
            let a = alpha[x]
            let clamped: Float = a > 0 ? (a < 1 ? a : 1) : 0
            weights[x] = roundedToUInt16(clamped * 256)
        }
    }

    /// Rounded mean of each 2x2 block of weights; an odd last column pairs with itself.
    @inline(__always)
    private static func average(_ upper: UnsafePointer<UInt16>, _ lower: UnsafePointer<UInt16>, width: Int,
                                into chroma: UnsafeMutablePointer<UInt16>) {
        let pairs = width / 2
        for x in 0..<pairs {
            chroma[x] = (upper[2 * x] &+ upper[2 * x + 1] &+ lower[2 * x] &+ lower[2 * x + 1] &+ 2) &>> 2
        }
        if pairs * 2 < width {
            chroma[pairs] = (upper[width - 1] &+ lower[width - 1] &+ 1) &>> 1
        }
    }

    /// (w·front + (256 − w)·back + 128) / 256; at most 256·255 + 128, so 16 bits suffice.
    @inline(__always)
    private static func blend(_ front: UnsafePointer<UInt8>, over back: UnsafePointer<UInt8>,
                              weights: UnsafePointer<UInt16>, into out: UnsafeMutablePointer<UInt8>, count: Int) {
        for x in 0..<count {
            let w = weights[x]
            let sum = UInt16(front[x]) &* w &+ UInt16(back[x]) &* (256 &- w) &+ 128
            out[x] = UInt8(truncatingIfNeeded: sum &>> 8)
        }
    }
}
