import BackdropCore
import Foundation
import Testing
@testable import SelectiveCodec

@Suite("Quality metrics and BD-rate")
struct MetricsTests {
    static let anchor = [(100.0, 30.0), (180.0, 33.0), (320.0, 36.0), (600.0, 39.0), (1100.0, 42.0)]
        .map { BjontegaardDelta.Point(rate: $0.0, quality: $0.1) }

    @Test("a curve at a fixed fraction of the rate at every quality has that BD-rate")
    func scaledCurves() throws {
        for fraction in [0.5, 0.8, 1.0, 1.7] {
            let test = Self.anchor.map { BjontegaardDelta.Point(rate: $0.rate * fraction, quality: $0.quality) }
            for interpolation in [BjontegaardDelta.Interpolation.pchip, .polynomial] {
                let rate = try #require(BjontegaardDelta.rate(anchor: Self.anchor, test: test, interpolation: interpolation))
                #expect(abs(rate - (fraction - 1)) < 1e-9, "\(interpolation) at \(fraction): \(rate)")
            }
        }
    }

    @Test("BD-rate only covers the shared quality range and needs enough points")
    func limits() {
        let disjoint = Self.anchor.map { BjontegaardDelta.Point(rate: $0.rate, quality: $0.quality + 20) }
        #expect(BjontegaardDelta.rate(anchor: Self.anchor, test: disjoint) == nil)
        #expect(BjontegaardDelta.rate(anchor: Self.anchor, test: Array(Self.anchor.prefix(3)), interpolation: .polynomial) == nil)
        let two = Array(Self.anchor.prefix(2))
        #expect(BjontegaardDelta.rate(anchor: two, test: two) == 0)
        // Repeated qualities make no curve.
        #expect(BjontegaardDelta.rate(anchor: Self.anchor, test: two + [two[1]]) == nil)
    }

    @Test("PCHIP integrates a straight line exactly")
    func pchipLine() {
        let points = [(30.0, 2.0), (33.0, 2.3), (36.0, 2.6), (40.0, 3.0)].map { (x: $0.0, y: $0.1) }
        let area = BjontegaardDelta.pchipIntegral(points, from: 31, to: 39)
        // y = 2 + 0.1 (x - 30): the mean over [31, 39] is y(35) = 2.5.
        #expect(abs(area - 8 * 2.5) < 1e-9)
    }

    @Test("PSNR and SSIM inside a region")
    func regionQuality() throws {
        let scene = SyntheticScene()
        let a = scene.frame(0)
        var b = a
        let region = scene.region(0)
        #expect(RegionQuality.psnr(reference: a, test: b, region: region) == 100)
        #expect(abs(try #require(RegionQuality.ssim(reference: a, test: b, region: region)) - 1) < 1e-12)
        // Outside the region changes do not count.
        for i in 0..<b.y.count where region[i] == 0 { b.y[i] = 0 }
        #expect(RegionQuality.psnr(reference: a, test: b, region: region) == 100)
        // An error of 4 levels on every region pixel: MSE 16.
        for i in 0..<b.y.count where region[i] != 0 { b.y[i] = UInt8(clamping: Int(a.y[i]) + 4) }
        let psnr = try #require(RegionQuality.psnr(reference: a, test: b, region: region))
        #expect(abs(psnr - 10 * log10(255.0 * 255 / 16)) < 1e-9)
        #expect(try #require(RegionQuality.ssim(reference: a, test: b, region: region)) < 1)
        #expect(RegionQuality.psnr(reference: a, test: b, region: [UInt8](repeating: 0, count: region.count)) == nil)
        #expect(RegionQuality.intersectionOverUnion(region, region) == 1)
    }
}
