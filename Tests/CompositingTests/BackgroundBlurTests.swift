import BackdropCore
import Testing
@testable import Compositing

@Suite struct BackgroundBlurTests {
    @Test func checkerboardLosesItsHighFrequencies() {
        let frame = TestFrames.checkerboard(width: 320, height: 180, cell: 4, low: 40, high: 200)
        var renderer = BackgroundRenderer(.blur(strength: BackgroundMode.defaultBlurStrength))
        let out = renderer.render(for: frame, alpha: nil)
        for (before, after, width, height) in [(frame.y, out.y, 320, 180), (frame.u, out.u, 160, 90), (frame.v, out.v, 160, 90)] {
            let ratio = TestFrames.highFrequencyEnergy(after, width: width, height: height)
                / TestFrames.highFrequencyEnergy(before, width: width, height: height)
            #expect(ratio < 0.1, "energy kept: \(ratio)")
            #expect(abs(TestFrames.mean(after) - TestFrames.mean(before)) < 1)
        }
    }

    @Test func meanOfARandomPictureIsPreserved() {
        let frame = TestFrames.random(width: 161, height: 91, seed: 11)
        var renderer = BackgroundRenderer(.blur(strength: 4))
        let out = renderer.render(for: frame, alpha: nil)
        #expect(abs(TestFrames.mean(out.y) - TestFrames.mean(frame.y)) < 1)
        #expect(abs(TestFrames.mean(out.u) - TestFrames.mean(frame.u)) < 1)
        #expect(abs(TestFrames.mean(out.v) - TestFrames.mean(frame.v)) < 1)
    }

    @Test func strongerBlurIsSmoother() {
        let frame = TestFrames.checkerboard(width: 256, height: 144, cell: 16, low: 30, high: 220)
        var energies: [Double] = []
        for strength in [0.5, 2.5, 10] {
            var renderer = BackgroundRenderer(.blur(strength: strength))
            energies.append(TestFrames.highFrequencyEnergy(renderer.render(for: frame, alpha: nil).y, width: 256, height: 144))
        }
        #expect(energies[0] > energies[1] && energies[1] > energies[2], "\(energies)")
    }

    /// A bright person over a dark room: just outside the silhouette, the blurred background
    /// must stay dark. A plain blur (no mask) brightens it, which shows as a halo.
    @Test func personDoesNotBleedIntoTheBackground() {
        let width = 320, height = 180, dark: UInt8 = 16, bright: UInt8 = 235
        let inside = { (x: Int, y: Int) in x >= 120 && x < 200 && y >= 40 }
        var frame = VideoFrame(width: width, height: height, fillY: dark, fillU: 128, fillV: 128)
        var alpha = Mask(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width where inside(x, y) {
                frame.y[y * width + x] = bright
                frame.u[(y / 2) * frame.chromaWidth + x / 2] = 40
                alpha.values[y * width + x] = 1
            }
        }
        // Background pixels within 12 pixels of the person.
        var ring: [Int] = []
        for y in 28..<height {
            for x in 108..<212 where !inside(x, y) { ring.append(y * width + x) }
        }
        func ringMean(_ plane: [UInt8]) -> Double { Double(ring.reduce(0) { $0 + Int(plane[$1]) }) / Double(ring.count) }

        var masked = BackgroundRenderer(.blur(strength: BackgroundMode.defaultBlurStrength))
        let clean = masked.render(for: frame, alpha: alpha)
        #expect(abs(ringMean(clean.y) - Double(dark)) < 2)
        #expect(clean.u.enumerated().allSatisfy { i, u in
            let x = 2 * (i % frame.chromaWidth), y = 2 * (i / frame.chromaWidth)
            return inside(x, y) || abs(Int(u) - 128) <= 2
        })

        var plain = BackgroundRenderer(.blur(strength: BackgroundMode.defaultBlurStrength))
        let haloed = plain.render(for: frame, alpha: nil)
        #expect(ringMean(haloed.y) > Double(dark) + 20)
    }

    @Test func frameThatIsAllPersonStillGetsBlurred() {
        let frame = TestFrames.checkerboard(width: 64, height: 36, cell: 2, low: 50, high: 150)
        var renderer = BackgroundRenderer(.blur(strength: 5))
        let out = renderer.render(for: frame, alpha: Mask(width: 64, height: 36, fill: 1))
        #expect(TestFrames.highFrequencyEnergy(out.y, width: 64, height: 36)
            < 0.1 * TestFrames.highFrequencyEnergy(frame.y, width: 64, height: 36))
        #expect(abs(TestFrames.mean(out.y) - 100) < 2)
    }

    @Test func flatPictureStaysExactlyFlatAtEverySize() {
        var renderer = BackgroundRenderer(.blur(strength: BackgroundMode.defaultBlurStrength))
        for (index, (width, height)) in TestFrames.oddAndEvenSizes.enumerated() {
            let frame = VideoFrame(width: width, height: height, fillY: 77, fillU: 33, fillV: 222)
            for alpha in [nil, TestFrames.randomMask(width: width, height: height, seed: UInt64(index))] {
                let out = renderer.render(for: frame, alpha: alpha)
                #expect(out.width == width && out.height == height)
                #expect(out.y.allSatisfy { $0 == 77 }, "\(width)x\(height)")
                #expect(out.u.allSatisfy { $0 == 33 } && out.v.allSatisfy { $0 == 222 }, "\(width)x\(height)")
            }
        }
    }

    @Test func tinyFramesAndSizeChangesAreSafe() {
        var renderer = BackgroundRenderer(.blur(strength: BackgroundMode.maximumBlurStrength))
        for (index, (width, height)) in (TestFrames.oddAndEvenSizes + TestFrames.oddAndEvenSizes.reversed()).enumerated() {
            let frame = TestFrames.random(width: width, height: height, seed: UInt64(index))
            let out = renderer.render(for: frame, alpha: TestFrames.randomMask(width: width, height: height, seed: 9))
            #expect(out.width == width && out.height == height)
            #expect(out.y.count == frame.y.count && out.u.count == frame.u.count && out.v.count == frame.v.count)
            #expect(out.pts == frame.pts)
        }
    }

    @Test func boxRadiiApproximateTheVariance() {
        for variance in [1.0, 4, 15.75, 40] {
            let radii = BackgroundBlur.boxRadii(variance: variance, passes: 3)
            let total = radii.reduce(0.0) { $0 + Double($1 * ($1 + 1)) / 3 }
            #expect(abs(total - variance) < 0.25 * variance + 1, "\(radii) for \(variance)")
        }
    }
}
