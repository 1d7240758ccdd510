import BackdropCore
import Segmentation
import Testing
import TestSupport

struct TemporalSmootherTests {
    @Test func constantMaskStaysConstantUnderImageNoise() {
        var random = SplitMix64(seed: 21)
        var smoother = TemporalSmoother()
        let mask = Mask(width: 32, height: 18, fill: 0.7)
        for _ in 0..<10 {
            let guide = (0..<32 * 18).map { _ in 128 + 40 * random.normal() }
            let out = smoother.smooth(mask, guide: guide)
            #expect(out.values.allSatisfy { abs($0 - 0.7) < 1e-6 })
        }
    }

    @Test func firstFrameAfterResetOrResizePassesThrough() {
        var smoother = TemporalSmoother()
        let guide = [Float](repeating: 100, count: 16)
        _ = smoother.smooth(Mask(width: 4, height: 4, fill: 0), guide: guide)
        let smoothed = smoother.smooth(Mask(width: 4, height: 4, fill: 0.1), guide: guide)
        #expect(smoothed.values.allSatisfy { $0 > 0 && $0 < 0.1 }, "a small change on a still picture is smoothed")
        smoother.reset()
        #expect(smoother.smooth(Mask(width: 4, height: 4, fill: 0.1), guide: guide).values.allSatisfy { $0 == 0.1 })
        let resized = Mask(width: 2, height: 8, fill: 0.3)
        #expect(smoother.smooth(resized, guide: guide) == resized)
    }

    @Test func stillSceneFlickersAtLeastThreeTimesLess() {
        let sequence = SceneSequence.standard
        var smoother = TemporalSmoother()
        var previousRaw: Mask?
        var previousSmoothed: Mask?
        var (rawChange, smoothedChange) = (0.0, 0.0)
        for t in 0..<sequence.stillCount {
            let raw = sequence.modelMasks[t]
            let smoothed = smoother.smooth(raw, guide: sequence.modelGuide(t))
            if let previousRaw, let previousSmoothed {
                rawChange += RefinementMetrics.meanAbsoluteDifference(raw.values, previousRaw.values)
                smoothedChange += RefinementMetrics.meanAbsoluteDifference(smoothed.values, previousSmoothed.values)
            }
            (previousRaw, previousSmoothed) = (raw, smoothed)
        }
        #expect(smoothedChange * 3 <= rawChange, "flicker raw \(rawChange) vs smoothed \(smoothedChange)")
    }

    /// Runs smoothing and guided upsampling over the sequence; returns the lag of each moving frame.
    static func movingLags(_ parameters: TemporalSmoother.Parameters) -> [Double] {
        let sequence = SceneSequence.standard
        let (width, height) = (sequence.scene.width, sequence.scene.height)
        var smoother = TemporalSmoother(parameters: parameters)
        let upsampler = GuidedUpsampler()
        var refined = Mask(width: width, height: height)
        var lags: [Double] = []
        for t in sequence.frames.indices {
            let smoothed = smoother.smooth(sequence.modelMasks[t], guide: sequence.modelGuide(t))
            guard t >= sequence.stillCount else { continue }
            upsampler.upsample(smoothed, luma: sequence.frames[t].luma, width: width, height: height, into: &refined)
            lags.append(RefinementMetrics.lagInFrames(mask: refined.values, truth: sequence.frames[t].alpha,
                                                      previousTruth: sequence.frames[t - 1].alpha,
                                                      width: width, height: height))
        }
        return lags
    }

    @Test func movingShapeLagsAtMostOneFrame() {
        let lags = Self.movingLags(TemporalSmoother.Parameters())
        #expect(lags.max()! <= 1, "lag per moving frame \(lags)")
    }

    @Test func lagMetricCatchesAPlainMovingAverage() {
        // Motion detection switched off: a plain average over about five frames must trail.
        let blind = TemporalSmoother.Parameters(staticWeight: 0.2, imageNoise: 1e6, imageMotion: 2e6, maskNoise: 10, maskMotion: 20)
        let lags = Self.movingLags(blind)
        #expect(lags.last! > 1, "lag per moving frame \(lags)")
    }
}
