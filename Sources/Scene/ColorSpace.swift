import Foundation

/// CIE L*a*b* (D65) and BT.601 limited-range Y'CbCr conversions in floating point, for analysis
/// and measurement; the synthesis path uses `IntegerColor` instead.
public enum ColorSpace {
    /// The D65 white point (X, Z; Y = 1), also used by `IntegerColor`.
    static let whiteX = 0.95047
    static let whiteZ = 1.08883

    /// sRGB-encoded 0...255 to CIE Lab.
    public static func lab(red: Double, green: Double, blue: Double) -> (l: Double, a: Double, b: Double) {
        let r = linear(red / 255), g = linear(green / 255), b = linear(blue / 255)
        let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / whiteX
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
        let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / whiteZ
        let fx = labF(x), fy = labF(y), fz = labF(z)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// CIE Lab to sRGB-encoded 0...255, clamped to the gamut.
    public static func rgb(l: Double, a: Double, b: Double) -> (red: Double, green: Double, blue: Double) {
        let fy = (l + 16) / 116
        let x = whiteX * labFInverse(fy + a / 500)
        let y = labFInverse(fy)
        let z = whiteZ * labFInverse(fy - b / 200)
        let r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
        let g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
        let bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
        return (255 * encoded(r), 255 * encoded(g), 255 * encoded(bl))
    }

    /// BT.601 limited-range Y'CbCr to sRGB-encoded 0...255 (not clamped).
    public static func rgb(y: Double, u: Double, v: Double) -> (red: Double, green: Double, blue: Double) {
        let luma = 1.164_383_6 * (y - 16)
        return (luma + 1.596_026_8 * (v - 128),
                luma - 0.391_762_3 * (u - 128) - 0.812_967_6 * (v - 128),
                luma + 2.017_232_1 * (u - 128))
    }

    /// sRGB-encoded 0...255 to BT.601 limited-range Y'CbCr.
    public static func ycbcr(red: Double, green: Double, blue: Double) -> (y: Double, u: Double, v: Double) {
        (16 + (65.481 * red + 128.553 * green + 24.966 * blue) / 255,
         128 + (-37.797 * red - 74.203 * green + 112.0 * blue) / 255,
         128 + (112.0 * red - 93.786 * green - 18.214 * blue) / 255)
    }

    /// BT.601 limited-range Y'CbCr to CIE Lab.
    public static func lab(y: Double, u: Double, v: Double) -> (l: Double, a: Double, b: Double) {
        let c = rgb(y: y, u: u, v: v)
        return lab(red: clamp255(c.red), green: clamp255(c.green), blue: clamp255(c.blue))
    }

    static func clamp255(_ value: Double) -> Double { min(255, max(0, value)) }

    static func linear(_ v: Double) -> Double {
        v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    static func encoded(_ v: Double) -> Double {
        let c = min(1, max(0, v))
        return c <= 0.003_130_8 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
    }

    private static let delta = 6.0 / 29

    static func labF(_ t: Double) -> Double {
        t > delta * delta * delta ? cbrt(t) : t / (3 * delta * delta) + 4.0 / 29
    }

    static func labFInverse(_ f: Double) -> Double {
        f > delta ? f * f * f : 3 * delta * delta * (f - 4.0 / 29)
    }
}
