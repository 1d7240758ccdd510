import BackdropCore

/// Integer colour conversions of the synthesis path (docs/bitstream.md §6.2): quantized CIE Lab to
/// BT.601 limited-range Y'CbCr and Y'CbCr to RGB, with no floating point, so every machine agrees.
public enum IntegerColor {
    /// Linear-light thresholds (Q20) between consecutive sRGB codes: `encodingThresholds[c]` is
    /// round(2^20 * linear((c + 0.5) / 255)), so a linear value encodes to the number of
    /// thresholds at or below it.
    static let encodingThresholds: [Int] = [
        159, 477, 796, 1114, 1432, 1750, 2069, 2387, 2705, 3024, 3343, 3680,
        4035, 4410, 4804, 5219, 5653, 6108, 6583, 7079, 7597, 8135, 8696, 9278,
        9883, 10510, 11159, 11832, 12527, 13246, 13988, 14754, 15543, 16357, 17196, 18058,
        18946, 19858, 20796, 21759, 22747, 23761, 24801, 25867, 26960, 28079, 29224, 30396,
        31596, 32822, 34076, 35357, 36666, 38003, 39367, 40760, 42181, 43631, 45110, 46617,
        48153, 49718, 51313, 52937, 54590, 56274, 57987, 59730, 61504, 63308, 65142, 67007,
        68903, 70830, 72787, 74776, 76797, 78848, 80932, 83047, 85194, 87373, 89585, 91828,
        94104, 96413, 98754, 101128, 103535, 105976, 108449, 110956, 113496, 116070, 118678, 121319,
        123995, 126704, 129448, 132226, 135039, 137886, 140768, 143685, 146636, 149623, 152645, 155702,
        158795, 161923, 165087, 168287, 171522, 174794, 178102, 181446, 184826, 188242, 191696, 195186,
        198712, 202276, 205877, 209514, 213189, 216901, 220651, 224438, 228263, 232126, 236026, 239965,
        243942, 247956, 252009, 256101, 260231, 264399, 268606, 272852, 277137, 281461, 285824, 290226,
        294667, 299148, 303669, 308229, 312828, 317468, 322147, 326866, 331626, 336425, 341265, 346145,
        351066, 356027, 361029, 366072, 371156, 376280, 381446, 386652, 391900, 397189, 402520, 407892,
        413306, 418761, 424258, 429797, 435378, 441001, 446666, 452374, 458123, 463915, 469750, 475627,
        481547, 487510, 493515, 499563, 505655, 511789, 517967, 524188, 530452, 536760, 543111, 549506,
        555945, 562428, 568954, 575524, 582139, 588797, 595500, 602247, 609038, 615874, 622755, 629680,
        636649, 643664, 650723, 657828, 664977, 672172, 679411, 686697, 694027, 701403, 708824, 716291,
        723804, 731362, 738966, 746617, 754313, 762055, 769844, 777678, 785559, 793487, 801460, 809481,
        817548, 825662, 833822, 842029, 850284, 858585, 866933, 875329, 883772, 892262, 900799, 909384,
        918017, 926697, 935425, 944200, 953024, 961895, 970814, 979782, 988797, 997861, 1006973, 1016133,
        1025342, 1034599, 1043905,
    ]

    /// Linear RGB (Q14) from the CIE XYZ of f^-1 values, the D65 white folded in; rows sum to 16384.
    private static let xyzToRGB: [Int] = [
        50462, -25184, -8894,
        -15094, 30737, 741,
        867, -3343, 18860,
    ]

    /// Y'CbCr in Q8 (value * 256) of the quantized Lab colour (L* = lq * 100 / 255, a* = aq, b* = bq).
    public static func ycbcrQ8(lq: Int, aq: Int, bq: Int) -> (y: Int, u: Int, v: Int) {
        let one = 1 << 20
        let fy = FixedPoint.divide(lq * 100 * one + 16 * 255 * one, 255 * 116)
        let fx = fy + FixedPoint.divide(aq * one, 500)
        let fz = fy - FixedPoint.divide(bq * one, 200)
        let t = [inverseF(fx), inverseF(fy), inverseF(fz)]
        var encoded = [0, 0, 0]  // R'G'B' in Q8
        for row in 0..<3 {
            let linear = FixedPoint.shift(xyzToRGB[3 * row] * t[0] + xyzToRGB[3 * row + 1] * t[1]
                                          + xyzToRGB[3 * row + 2] * t[2], 14)
            encoded[row] = encode(FixedPoint.clamp(linear, 0, one))
        }
        let (r, g, b) = (encoded[0], encoded[1], encoded[2])
        return (16 * 256 + FixedPoint.shift(16829 * r + 33039 * g + 6416 * b, 16),
                128 * 256 + FixedPoint.shift(-9714 * r - 19070 * g + 28784 * b, 16),
                128 * 256 + FixedPoint.shift(28784 * r - 24103 * g - 4681 * b, 16))
    }

    /// RGB (0...255) of one Y'CbCr sample.
    @inline(__always)
    public static func rgb(y: Int, u: Int, v: Int) -> (UInt8, UInt8, UInt8) {
        let luma = 76309 * (y - 16)
        let r = FixedPoint.shift(luma + 104_597 * (v - 128), 16)
        let g = FixedPoint.shift(luma - 25675 * (u - 128) - 53279 * (v - 128), 16)
        let b = FixedPoint.shift(luma + 132_201 * (u - 128), 16)
        return (UInt8(FixedPoint.clamp(r, 0, 255)), UInt8(FixedPoint.clamp(g, 0, 255)),
                UInt8(FixedPoint.clamp(b, 0, 255)))
    }

    /// The CIE f^-1 in Q20: f^3 above 6/29, the linear segment below.
    private static func inverseF(_ f: Int) -> Int {
        if 29 * f > 6 << 20 {
            let square = FixedPoint.shift(f * f, 20)
            return FixedPoint.shift(square * f, 20)
        }
        return FixedPoint.divide(108 * (29 * f - (4 << 20)), 841 * 29)
    }

    /// The sRGB code (Q8, 0...65280) of a linear value in Q20: the code by binary search over
    /// the thresholds, the fraction by linear interpolation between them.
    private static func encode(_ linear: Int) -> Int {
        let t = encodingThresholds
        var low = 0, high = t.count
        while low < high {
            let mid = (low + high) / 2
            if t[mid] <= linear { low = mid + 1 } else { high = mid }
        }
        // Threshold c sits at code c + 0.5; code 0 at linear 0, code 255 at linear 1.
        if low == 0 { return FixedPoint.divide(128 * linear, t[0]) }
        if low == t.count { return 254 * 256 + 128 + FixedPoint.divide(128 * (linear - t[low - 1]), (1 << 20) - t[low - 1]) }
        return low * 256 - 128 + FixedPoint.divide(256 * (linear - t[low - 1]), t[low] - t[low - 1])
    }
}

extension IntegerColor {
    /// `frame` as packed RGB, each pixel from its own luma and its 2x2 block's chroma: the same
    /// bytes on every machine, so a synthesized PNG is reproducible too.
    public static func rgbImage(from frame: VideoFrame) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: frame.width * frame.height * 3)
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let c = (y / 2) * frame.chromaWidth + x / 2
                let (r, g, b) = rgb(y: Int(frame.y[y * frame.width + x]), u: Int(frame.u[c]), v: Int(frame.v[c]))
                let i = 3 * (y * frame.width + x)
                pixels[i] = r
                pixels[i + 1] = g
                pixels[i + 2] = b
            }
        }
        return RGBImage(width: frame.width, height: frame.height, pixels: pixels)
    }
}
