import BackdropCore
import Testing
@testable import Compositing

@Suite struct CompositorTests {
    let compositor = Compositor()

    @Test func alphaOneGivesTheFrameExactly() {
        for (index, (width, height)) in TestFrames.oddAndEvenSizes.enumerated() {
            let frame = TestFrames.random(width: width, height: height, seed: UInt64(index))
            let background = TestFrames.random(width: width, height: height, seed: UInt64(100 + index))
            let out = compositor.composite(frame: frame, alpha: Mask(width: width, height: height, fill: 1),
                                           background: background)
            #expect(out.y == frame.y && out.u == frame.u && out.v == frame.v, "\(width)x\(height)")
            #expect(out.pts == frame.pts && out.timeBase == frame.timeBase)
        }
    }

    @Test func alphaZeroGivesTheBackgroundExactly() {
        for (index, (width, height)) in TestFrames.oddAndEvenSizes.enumerated() {
            let frame = TestFrames.random(width: width, height: height, seed: UInt64(index))
            let background = TestFrames.random(width: width, height: height, seed: UInt64(100 + index))
            let out = compositor.composite(frame: frame, alpha: Mask(width: width, height: height, fill: 0),
                                           background: background)
            #expect(out.y == background.y && out.u == background.u && out.v == background.v, "\(width)x\(height)")
        }
    }

    @Test func alphaHalfGivesTheMidpoint() {
        for (index, (width, height)) in TestFrames.oddAndEvenSizes.enumerated() {
            let frame = TestFrames.random(width: width, height: height, seed: UInt64(index))
            let background = TestFrames.random(width: width, height: height, seed: UInt64(100 + index))
            let out = compositor.composite(frame: frame, alpha: Mask(width: width, height: height, fill: 0.5),
                                           background: background)
            for (o, (f, b)) in zip(out.y + out.u + out.v, zip(frame.y + frame.u + frame.v, background.y + background.u + background.v)) {
                #expect(abs(Double(o) - (Double(f) + Double(b)) / 2) <= 1)
            }
        }
    }

    /// Against alpha·frame + (1 − alpha)·background in exact arithmetic; chroma with the
    /// mean alpha of its 2x2 block. Tolerances follow from alpha's 1/256 steps plus rounding.
    @Test func randomAlphaMatchesTheExactBlend() {
        for (index, (width, height)) in TestFrames.oddAndEvenSizes.enumerated() {
            let frame = TestFrames.random(width: width, height: height, seed: UInt64(index))
            let background = TestFrames.random(width: width, height: height, seed: UInt64(100 + index))
            let alpha = TestFrames.randomMask(width: width, height: height, seed: UInt64(200 + index))
            let out = compositor.composite(frame: frame, alpha: alpha, background: background)
            for i in 0..<(width * height) {
                let a = Double(alpha.values[i])
                let exact = a * Double(frame.y[i]) + (1 - a) * Double(background.y[i])
                #expect(abs(Double(out.y[i]) - exact) <= 1, "luma \(i) at \(width)x\(height)")
            }
            let cw = frame.chromaWidth
            for cy in 0..<frame.chromaHeight {
                for cx in 0..<cw {
                    var sum = 0.0
                    for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        let x = min(2 * cx + dx, width - 1), y = min(2 * cy + dy, height - 1)
                        sum += Double(alpha.values[y * width + x])
                    }
                    let a = sum / 4, i = cy * cw + cx
                    for (o, f, b) in [(out.u[i], frame.u[i], background.u[i]), (out.v[i], frame.v[i], background.v[i])] {
                        let exact = a * Double(f) + (1 - a) * Double(b)
                        #expect(abs(Double(o) - exact) < 1.5, "chroma \(i) at \(width)x\(height)")
                    }
                }
            }
        }
    }

    @Test func chromaFollowsTheMeanOfItsBlock() {
        // Left column of each 2x2 block is person, right is not: chroma is the midpoint.
        let frame = VideoFrame(width: 4, height: 2, fillY: 200, fillU: 200, fillV: 40)
        let background = VideoFrame(width: 4, height: 2, fillY: 20, fillU: 100, fillV: 140)
        let alpha = Mask(width: 4, height: 2, values: [1, 0, 1, 0, 1, 0, 1, 0])
        let out = compositor.composite(frame: frame, alpha: alpha, background: background)
        #expect(out.y == [200, 20, 200, 20, 200, 20, 200, 20])
        #expect(out.u == [150, 150] && out.v == [90, 90])
    }

    @Test func alphaOutsideTheRangeIsClampedAndNaNIsBackground() {
        let frame = VideoFrame(width: 2, height: 2, fillY: 200, fillU: 50, fillV: 60)
        let background = VideoFrame(width: 2, height: 2, fillY: 30, fillU: 150, fillV: 160)
        let cases: [(Float, VideoFrame)] = [(.nan, background), (-3, background), (7, frame), (.infinity, frame),
                                            (-.infinity, background)]
        for (value, expected) in cases {
            let out = compositor.composite(frame: frame, alpha: Mask(width: 2, height: 2, fill: value), background: background)
            #expect(out.y == expected.y && out.u == expected.u && out.v == expected.v, "alpha \(value)")
        }
    }

    @Test func compositingIntoABufferMatchesAndResizesIt() {
        let alpha = TestFrames.randomMask(width: 11, height: 7, seed: 3)
        let frame = TestFrames.random(width: 11, height: 7, seed: 4)
        let background = TestFrames.random(width: 11, height: 7, seed: 5)
        var output = VideoFrame(width: 2, height: 2, fillY: 0, fillU: 0, fillV: 0)
        compositor.composite(frame: frame, alpha: alpha, background: background, into: &output)
        let expected = compositor.composite(frame: frame, alpha: alpha, background: background)
        #expect(output.width == 11 && output.height == 7)
        #expect(output.y == expected.y && output.u == expected.u && output.v == expected.v)
        #expect(output.pts == frame.pts && output.timeBase == frame.timeBase)
        // Reused with the same size: every byte is overwritten.
        let other = TestFrames.random(width: 11, height: 7, seed: 6)
        compositor.composite(frame: other, alpha: Mask(width: 11, height: 7, fill: 1), background: background, into: &output)
        #expect(output.y == other.y && output.u == other.u && output.v == other.v)
    }

    @Test func backgroundOnlyLetsNothingOfTheFrameThrough() {
        for (index, (width, height)) in TestFrames.oddAndEvenSizes.enumerated() {
            let frame = TestFrames.random(width: width, height: height, seed: UInt64(index))
            let background = TestFrames.random(width: width, height: height, seed: UInt64(100 + index))
            let out = compositor.backgroundOnly(frame: frame, background: background)
            #expect(out.y == background.y && out.u == background.u && out.v == background.v)
            #expect(out.pts == frame.pts && out.timeBase == frame.timeBase)
            var reused = TestFrames.random(width: width, height: height, seed: UInt64(300 + index))
            compositor.backgroundOnly(frame: frame, background: background, into: &reused)
            #expect(reused.y == background.y && reused.u == background.u && reused.v == background.v)
            #expect(reused.pts == frame.pts && reused.timeBase == frame.timeBase)
        }
    }
}
