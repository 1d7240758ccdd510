import BackdropCore

/// Removes frame-to-frame flicker from model-size masks without making a moving person lag.
///
/// The rule, per mask pixel: an exponential moving average whose weight for the new value is
///
///     alpha = staticWeight + (1 - staticWeight) * motion
///     motion = max(ramp(imageChange; imageNoise...imageMotion),
///                  ramp(|raw - previous|; maskNoise...maskMotion),
///                  motionHold * previous motion)
///
/// where imageChange is the 3x3 mean of |guide - previous guide| (luma levels at model size),
/// and ramp is 0 below its first bound, 1 above its second, linear between. So where the picture
/// changed by more than camera noise, or the model changed its mind by a lot, the new value is
/// taken as is (no lag); where the picture is still, small changes are averaged away. The hold
/// is the hysteresis: a pixel that moved stays responsive for a few frames, so a slow movement
/// whose per-frame change dips under the noise bound does not start trailing.
///
/// Feed every frame of one stream in order; `reset()` at a cut or a new stream. A mask or guide
/// of a new size resets the state by itself.
public struct TemporalSmoother: Sendable {
    /// Tuning of the smoothing rule; luma values in 0...255 levels.
    public struct Parameters: Sendable, Equatable {
        /// Weight of the new value where nothing moves (1 disables smoothing).
        public var staticWeight: Float
        /// Mean luma change at model size below which a pixel counts as still (camera noise).
        public var imageNoise: Float
        /// Mean luma change at model size above which a pixel counts as moving.
        public var imageMotion: Float
        /// Mask change below which it counts as flicker.
        public var maskNoise: Float
        /// Mask change above which it is taken as a real change.
        public var maskMotion: Float
        /// Fraction of a pixel's motion carried to the next frame.
        public var motionHold: Float

        public init(staticWeight: Float = 0.2, imageNoise: Float = 3, imageMotion: Float = 8,
                    maskNoise: Float = 0.15, maskMotion: Float = 0.4, motionHold: Float = 0.5) {
            precondition(staticWeight > 0 && staticWeight <= 1, "staticWeight \(staticWeight) must be in (0, 1]")
            precondition(imageMotion > imageNoise, "imageMotion \(imageMotion) must exceed imageNoise \(imageNoise)")
            precondition(maskMotion > maskNoise, "maskMotion \(maskMotion) must exceed maskNoise \(maskNoise)")
            precondition(motionHold >= 0 && motionHold < 1, "motionHold \(motionHold) must be in [0, 1)")
            self.staticWeight = staticWeight
            self.imageNoise = imageNoise
            self.imageMotion = imageMotion
            self.maskNoise = maskNoise
            self.maskMotion = maskMotion
            self.motionHold = motionHold
        }
    }

    public let parameters: Parameters
    private var width = 0, height = 0
    private var smoothed: [Float] = []
    private var previousGuide: [Float] = []
    /// Per pixel: the motion carried to the next frame, then scratch for the guide difference and
    /// its horizontal 3-sums; then a row of zeros.
    private var state: [Float] = []

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Forgets the stream: the next mask is passed through unchanged.
    public mutating func reset() {
        width = 0
        height = 0
    }

    /// Smooths the next `mask`; `guide` is the frame's luma at the mask's size, in 0...255 levels
    /// (e.g. `MaskResampling.areaAverage(frame.y, ...)` to the mask size).
    public mutating func smooth(_ mask: Mask, guide: [Float]) -> Mask {
        precondition(guide.count == mask.width * mask.height,
                     "guide has \(guide.count) values, expected \(mask.width)x\(mask.height)")
        guard width == mask.width, height == mask.height else {
            width = mask.width
            height = mask.height
            smoothed = mask.values
            previousGuide = guide
            state = [Float](repeating: 0, count: 3 * guide.count + width)
            return mask
        }
        let (w, h, p) = (width, height, parameters)
        FloatEnvironment.flushingSubnormals {
            mask.values.withUnsafeBufferPointer { raw in
                guide.withUnsafeBufferPointer { guide in
                    smoothed.withUnsafeMutableBufferPointer { smoothed in
                        previousGuide.withUnsafeMutableBufferPointer { previousGuide in
                            state.withUnsafeMutableBufferPointer { state in
                                let motion = state.baseAddress!, difference = motion + w * h
                                let rowSums = difference + w * h, zeros = rowSums + w * h
                                Self.imageChange(guide.baseAddress!, previousGuide.baseAddress!, width: w, height: h,
                                                 difference: difference, rowSums: rowSums, zeros: zeros)
                                Self.blend(raw.baseAddress!, change: difference, count: w * h,
                                           smoothed: smoothed.baseAddress!, motion: motion, parameters: p)
                                previousGuide.baseAddress!.update(from: guide.baseAddress!, count: w * h)
                            }
                        }
                    }
                }
            }
        }
        return Mask(width: w, height: h, values: smoothed)
    }

    /// Writes the 3x3 mean (clipped at the borders) of |guide - previous| into `difference`.
    /// Borders are handled outside the inner loops, which then have no branches and vectorise.
    private static func imageChange(_ guide: UnsafePointer<Float>, _ previous: UnsafePointer<Float>,
                                    width w: Int, height h: Int, difference: UnsafeMutablePointer<Float>,
                                    rowSums: UnsafeMutablePointer<Float>, zeros: UnsafePointer<Float>) {
        for k in 0..<w * h { difference[k] = abs(guide[k] - previous[k]) }
        // Horizontal 3-sums, centre first then left then right (the order of the clipped form).
        for y in 0..<h {
            let d = difference + y * w, s = rowSums + y * w
            guard w > 1 else { s[0] = d[0]; continue }
            s[0] = d[0] + d[1]
            let (left, right) = (d - 1, d + 1)
            for x in 1..<w - 1 { s[x] = d[x] + left[x] + right[x] }
            s[w - 1] = d[w - 1] + d[w - 2]
        }
        // Vertical 3-sums divided by the clipped window's area; a missing row above or below
        // reads the zero row (adding +0 to these non-negative sums changes nothing).
        for y in 0..<h {
            let centre = rowSums + y * w, out = difference + y * w
            let up = y > 0 ? UnsafePointer(rowSums + (y - 1) * w) : zeros
            let down = y + 1 < h ? UnsafePointer(rowSums + (y + 1) * w) : zeros
            let rows = Float((y + 1 < h ? y + 1 : h - 1) - max(y - 1, 0) + 1)
            let inner = rows * 3
            for x in 0..<w { out[x] = (centre[x] + up[x] + down[x]) / inner }
            let edge = rows * Float(min(1, w - 1) + 1)
            out[0] = (centre[0] + up[0] + down[0]) / edge
            out[w - 1] = (centre[w - 1] + up[w - 1] + down[w - 1]) / edge
        }
    }

    private static func blend(_ raw: UnsafePointer<Float>, change: UnsafePointer<Float>, count: Int,
                              smoothed: UnsafeMutablePointer<Float>, motion: UnsafeMutablePointer<Float>,
                              parameters p: Parameters) {
        let imageScale = 1 / (p.imageMotion - p.imageNoise), maskScale = 1 / (p.maskMotion - p.maskNoise)
        for k in 0..<count {
            let imageMotion = min(max((change[k] - p.imageNoise) * imageScale, 0), 1)
            let maskMotion = min(max((abs(raw[k] - smoothed[k]) - p.maskNoise) * maskScale, 0), 1)
            let m = max(imageMotion, maskMotion, p.motionHold * motion[k])
            motion[k] = m
            let alpha = p.staticWeight + (1 - p.staticWeight) * m
            smoothed[k] += alpha * (raw[k] - smoothed[k])
        }
    }
}
