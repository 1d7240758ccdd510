/// The three detail bands of an isotropic undecimated wavelet transform of luma (Starck's
/// "starlet": B3-spline smoothing [1, 4, 6, 4, 1] / 16 with holes), the scales texture energy is
/// measured at: band 0 ~ 1-2 px, band 1 ~ 2-4 px, band 2 ~ 4-8 px.
public struct StarletBands {
    public static let count = 3

    public let width: Int
    public let height: Int
    /// `bands[k][i]`: detail at scale k of pixel i.
    public private(set) var bands: [[Float]]
    /// What is left after removing the three detail bands (smooth, ~8 px and up).
    public private(set) var residual: [Float]

    public init(luma: [UInt8], width: Int, height: Int) {
        self.init(luma: luma.map { Float($0) }, width: width, height: height)
    }

    public init(luma: [Float], width: Int, height: Int) {
        precondition(luma.count == width * height, "luma size mismatch")
        self.width = width
        self.height = height
        var current = luma
        var smoothed = [Float](repeating: 0, count: luma.count)
        var scratch = [Float](repeating: 0, count: luma.count)
        var bands: [[Float]] = []
        for level in 0..<Self.count {
            Self.smooth(current, into: &smoothed, scratch: &scratch, width: width, height: height, hole: 1 << level)
            var detail = current
            detail.withUnsafeMutableBufferPointer { d in
                smoothed.withUnsafeBufferPointer { s in
                    for i in 0..<d.count { d[i] -= s[i] }
                }
            }
            bands.append(detail)
            swap(&current, &smoothed)
        }
        self.bands = bands
        residual = current
    }

    /// Separable B3-spline smoothing with `hole`-spaced taps, mirrored at the borders.
    private static func smooth(_ input: [Float], into output: inout [Float], scratch: inout [Float],
                               width: Int, height: Int, hole: Int) {
        func mirror(_ i: Int, _ n: Int) -> Int {
            var j = i
            if j < 0 { j = -j }
            if j >= n { j = 2 * (n - 1) - j }
            return Swift.max(0, Swift.min(n - 1, j))
        }
        // Horizontal: interior columns without mirroring, the borders with it.
        let reach = 2 * hole
        let columns = (0..<width).filter { $0 < reach || $0 >= width - reach }
        input.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { tmp in
                for y in 0..<height {
                    let row = y * width
                    if width > 2 * reach {
                        for x in reach..<(width - reach) {
                            let i = row + x
                            tmp[i] = (src[i - reach] + src[i + reach]) * 0.0625 + (src[i - hole] + src[i + hole]) * 0.25
                                + src[i] * 0.375
                        }
                    }
                    for x in columns {
                        let a = src[row + mirror(x - reach, width)], b = src[row + mirror(x - hole, width)]
                        let d = src[row + mirror(x + hole, width)], e = src[row + mirror(x + reach, width)]
                        tmp[row + x] = (a + e) * 0.0625 + (b + d) * 0.25 + src[row + x] * 0.375
                    }
                }
            }
        }
        scratch.withUnsafeBufferPointer { tmp in
            output.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let a = mirror(y - 2 * hole, height) * width, b = mirror(y - hole, height) * width
                    let c = y * width
                    let d = mirror(y + hole, height) * width, e = mirror(y + 2 * hole, height) * width
                    for x in 0..<width {
                        dst[c + x] = (tmp[a + x] + tmp[e + x]) * 0.0625 + (tmp[b + x] + tmp[d + x]) * 0.25
                            + tmp[c + x] * 0.375
                    }
                }
            }
        }
    }
}
