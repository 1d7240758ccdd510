import Foundation

/// Bjøntegaard delta rate (VCEG-M33): the average bit-rate difference between two rate/quality
/// curves over the quality range they share, computed on log10(rate) as a function of quality.
///
/// Two interpolations: the piecewise cubic Hermite (PCHIP, Fritsch–Carlson) that JVET's common
/// test conditions use, which follows any number of points without overshoot; and the original
/// third-order polynomial least-squares fit (exact for four points).
public enum BjontegaardDelta {
    /// A measured point: rate (any unit, > 0) and quality (e.g. PSNR in dB).
    public struct Point: Sendable, Equatable, Codable {
        public var rate: Double
        public var quality: Double

        public init(rate: Double, quality: Double) {
            self.rate = rate
            self.quality = quality
        }
    }

    public enum Interpolation: String, Sendable, Codable {
        case pchip
        case polynomial
    }

    /// The rate of `test` relative to `anchor` at equal quality, as a fraction (-0.5 = half the
    /// bits). nil when a curve has fewer than 2 points (4 for the polynomial), non-positive
    /// rates, or the curves share no quality range.
    public static func rate(anchor: [Point], test: [Point], interpolation: Interpolation = .pchip) -> Double? {
        let minimum = interpolation == .pchip ? 2 : 4
        guard anchor.count >= minimum, test.count >= minimum,
              (anchor + test).allSatisfy({ $0.rate > 0 && $0.quality.isFinite }) else { return nil }
        let a = curve(anchor), t = curve(test)
        guard let a, let t else { return nil }
        let low = max(a.first!.x, t.first!.x), high = min(a.last!.x, t.last!.x)
        guard high > low else { return nil }
        let areaA: Double, areaT: Double
        switch interpolation {
        case .pchip:
            areaA = pchipIntegral(a, from: low, to: high)
            areaT = pchipIntegral(t, from: low, to: high)
        case .polynomial:
            guard let pa = cubicFit(a), let pt = cubicFit(t) else { return nil }
            areaA = polynomialIntegral(pa.coefficients, from: low - pa.centre, to: high - pa.centre)
            areaT = polynomialIntegral(pt.coefficients, from: low - pt.centre, to: high - pt.centre)
        }
        let meanDifference = (areaT - areaA) / (high - low)
        return pow(10, meanDifference) - 1
    }

    /// Points as x = quality, y = log10(rate), sorted by quality; nil if qualities repeat.
    private static func curve(_ points: [Point]) -> [(x: Double, y: Double)]? {
        let sorted = points.map { (x: $0.quality, y: log10($0.rate)) }.sorted { $0.x < $1.x }
        for i in 1..<sorted.count where sorted[i].x <= sorted[i - 1].x { return nil }
        return sorted
    }

    /// Integral of the PCHIP interpolant of `p` over [low, high] (inside the data range).
    static func pchipIntegral(_ p: [(x: Double, y: Double)], from low: Double, to high: Double) -> Double {
        let n = p.count
        var h = [Double](), delta = [Double]()
        for i in 0..<(n - 1) {
            h.append(p[i + 1].x - p[i].x)
            delta.append((p[i + 1].y - p[i].y) / h[i])
        }
        var d = [Double](repeating: 0, count: n)
        if n == 2 {
            d = [delta[0], delta[0]]
        } else {
            for i in 1..<(n - 1) {
                if delta[i - 1] * delta[i] > 0 {
                    let w1 = 2 * h[i] + h[i - 1], w2 = h[i] + 2 * h[i - 1]
                    d[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i])
                }
            }
            d[0] = endSlope(h[0], h[1], delta[0], delta[1])
            d[n - 1] = endSlope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3])
        }
        // Each interval's Hermite cubic, integrated exactly over its part of [low, high].
        var total = 0.0
        for i in 0..<(n - 1) {
            let a = max(low, p[i].x), b = min(high, p[i + 1].x)
            guard b > a else { continue }
            let (c0, c1, c2, c3) = hermite(y0: p[i].y, y1: p[i + 1].y, d0: d[i], d1: d[i + 1], h: h[i])
            func antiderivative(_ x: Double) -> Double {
                let s = x - p[i].x
                return c0 * s + c1 * s * s / 2 + c2 * s * s * s / 3 + c3 * s * s * s * s / 4
            }
            total += antiderivative(b) - antiderivative(a)
        }
        return total
    }

    /// Fritsch–Carlson's three-point end slope, kept shape-preserving.
    private static func endSlope(_ h0: Double, _ h1: Double, _ d0: Double, _ d1: Double) -> Double {
        var slope = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1)
        if slope * d0 <= 0 {
            slope = 0
        } else if d0 * d1 <= 0 && abs(slope) > abs(3 * d0) {
            slope = 3 * d0
        }
        return slope
    }

    /// Coefficients of y(s) = c0 + c1 s + c2 s² + c3 s³ on one interval of width h.
    private static func hermite(y0: Double, y1: Double, d0: Double, d1: Double, h: Double) -> (Double, Double, Double, Double) {
        let delta = (y1 - y0) / h
        return (y0, d0, (3 * delta - 2 * d0 - d1) / h, (d0 + d1 - 2 * delta) / (h * h))
    }

    /// Least-squares cubic through the points, in x - centre (centred to keep the normal
    /// equations well conditioned): coefficients c0...c3.
    static func cubicFit(_ p: [(x: Double, y: Double)]) -> (coefficients: [Double], centre: Double)? {
        // Normal equations, 4x4, solved by Gauss-Jordan elimination with partial pivoting.
        let centre = p.map(\.x).reduce(0, +) / Double(p.count)
        var m = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 4)
        for point in p {
            let x = point.x - centre
            let powers = [1, x, x * x, x * x * x]
            for r in 0..<4 {
                for c in 0..<4 { m[r][c] += powers[r] * powers[c] }
                m[r][4] += powers[r] * point.y
            }
        }
        for col in 0..<4 {
            let pivot = (col..<4).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            guard abs(m[pivot][col]) > 1e-12 else { return nil }
            m.swapAt(col, pivot)
            for r in 0..<4 where r != col {
                let f = m[r][col] / m[col][col]
                for c in col..<5 { m[r][c] -= f * m[col][c] }
            }
        }
        return ((0..<4).map { m[$0][4] / m[$0][$0] }, centre)
    }

    static func polynomialIntegral(_ c: [Double], from low: Double, to high: Double) -> Double {
        func antiderivative(_ x: Double) -> Double {
            c[0] * x + c[1] * x * x / 2 + c[2] * x * x * x / 3 + c[3] * x * x * x * x / 4
        }
        return antiderivative(high) - antiderivative(low)
    }
}
