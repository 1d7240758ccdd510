import Foundation

/// Texture of a region, as `LabelAppearance` carries it: energy per starlet band (luma code
/// values), the direction stripes run, and how strongly oriented it is (0 isotropic, 1 stripes).
///
/// Energy is robust: 1.4826 × the median absolute band coefficient, which is the RMS for
/// Gaussian texture but ignores the few strong edges between objects that share a label
/// (those are the sketch's business).
public struct TextureStatistics: Sendable, Equatable {
    public var energy: [Double]
    public var orientationDegrees: Double
    public var anisotropy: Double
    /// Pixels measured.
    public var pixelCount: Int

    /// Statistics of every region: `regions[i]` is pixel i's region (0..<regionCount), or 255
    /// to leave it out. Regions without pixels get zeros.
    public static func measure(_ bands: StarletBands, regions: [UInt8], regionCount: Int) -> [TextureStatistics] {
        precondition(regions.count == bands.width * bands.height, "region map size mismatch")
        let (width, height) = (bands.width, bands.height)
        // Histograms of |coefficient| per region and band, in 1/20 code value steps.
        let bins = Self.histogramBins
        var histograms = [Int](repeating: 0, count: regionCount * StarletBands.count * bins)
        var tensor = [(xx: Double, yy: Double, xy: Double)](repeating: (0, 0, 0), count: regionCount)
        var counts = [Int](repeating: 0, count: regionCount)
        // The detail image (all three bands): its gradients give the structure tensor.
        var detail = bands.bands[0]
        for k in 1..<StarletBands.count {
            for i in detail.indices { detail[i] += bands.bands[k][i] }
        }
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let region = Int(regions[i])
                guard region < regionCount else { continue }
                counts[region] += 1
                for k in 0..<StarletBands.count {
                    let bin = min(bins - 1, Int(abs(bands.bands[k][i]) * 20))
                    histograms[(region * StarletBands.count + k) * bins + bin] += 1
                }
                guard x > 0, x < width - 1, y > 0, y < height - 1 else { continue }
                let gx = Double(detail[i + 1] - detail[i - 1]) / 2
                let gy = Double(detail[i + width] - detail[i - width]) / 2
                tensor[region].xx += gx * gx
                tensor[region].yy += gy * gy
                tensor[region].xy += gx * gy
            }
        }
        return (0..<regionCount).map { region in
            guard counts[region] > 0 else {
                return TextureStatistics(energy: [0, 0, 0], orientationDegrees: 0, anisotropy: 0, pixelCount: 0)
            }
            let t = tensor[region]
            let trace = t.xx + t.yy
            let spread = ((t.xx - t.yy) * (t.xx - t.yy) + 4 * t.xy * t.xy).squareRoot()
            // The tensor's major axis is the gradient direction; stripes run across it.
            var degrees = 0.5 * atan2(2 * t.xy, t.xx - t.yy) * 180 / .pi + 90
            if degrees >= 180 { degrees -= 180 }
            if degrees < 0 { degrees += 180 }
            let energy = (0..<StarletBands.count).map { k in
                1.4826 * median(histograms[((region * StarletBands.count + k) * bins)..<((region * StarletBands.count + k + 1) * bins)],
                                count: counts[region])
            }
            return TextureStatistics(energy: energy,
                                     orientationDegrees: degrees,
                                     anisotropy: trace > 0 ? spread / trace : 0, pixelCount: counts[region])
        }
    }

    static let histogramBins = 2000

    /// The median of the values a histogram of 1/20-wide bins counts, interpolated within its bin.
    private static func median(_ histogram: ArraySlice<Int>, count: Int) -> Double {
        let half = Double(count) / 2
        var below = 0
        for (offset, n) in histogram.enumerated() where n > 0 {
            if Double(below + n) >= half {
                return (Double(offset) + (half - Double(below)) / Double(n)) / 20
            }
            below += n
        }
        return Double(histogram.count) / 20
    }

    /// The angle between two stripe directions, 0...90 degrees.
    public static func orientationDifference(_ a: Double, _ b: Double) -> Double {
        let d = abs(a - b).truncatingRemainder(dividingBy: 180)
        return min(d, 180 - d)
    }
}
