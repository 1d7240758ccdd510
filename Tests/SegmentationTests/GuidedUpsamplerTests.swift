import BackdropCore
import Segmentation
import Testing
import TestSupport

struct GuidedUpsamplerTests {
    /// High-contrast noise texture, the worst case for texture leaking into the mask.
    static func texture(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<width * height).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test(arguments: [Float(0), 0.3, 1])
    func constantMaskStaysConstantOverTexture(_ value: Float) {
        let (width, height) = (640, 360)
        let luma = Self.texture(width: width, height: height, seed: 3)
        let output = GuidedUpsampler().upsample(Mask(width: 256, height: 144, fill: value),
                                                luma: luma, width: width, height: height)
        let worst = output.values.map { abs($0 - value) }.max()!
        #expect(worst < 1e-4, "constant \(value) came out up to \(worst) off")
    }

    @Test func outputIsFrameSizedWithinUnitRangeAndReusable() {
        var random = SplitMix64(seed: 11)
        let (width, height) = (333, 201)
        let mask = Mask(width: 97, height: 55, values: (0..<97 * 55).map { _ in random.uniform() })
        let luma = Self.texture(width: width, height: height, seed: 5)
        let upsampler = GuidedUpsampler(parameters: .init(radius: 3, epsilon: 1e-4))
        let fresh = upsampler.upsample(mask, luma: luma, width: width, height: height)
        #expect(fresh.width == width && fresh.height == height)
        #expect(fresh.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        // A wrongly sized output is replaced; a rightly sized one is overwritten in place.
        var reused = Mask(width: 1, height: 1)
        upsampler.upsample(mask, luma: luma, width: width, height: height, into: &reused)
        #expect(reused == fresh)
        let small = upsampler.upsample(Mask(width: 4, height: 4, fill: 1), luma: [UInt8](repeating: 9, count: 64),
                                       width: 8, height: 8)
        #expect(small.values.allSatisfy { abs($0 - 1) < 1e-5 })
        upsampler.upsample(mask, luma: luma, width: width, height: height, into: &reused)
        #expect(reused == fresh)
    }

    @Test func reductionStaysFinerThanTheMask() {
        let upsampler = GuidedUpsampler()
        #expect(upsampler.reduction(frameWidth: 1280, frameHeight: 720, maskWidth: 256, maskHeight: 144) == 4)
        #expect(upsampler.reduction(frameWidth: 640, frameHeight: 360, maskWidth: 256, maskHeight: 144) == 2)
        #expect(upsampler.reduction(frameWidth: 200, frameHeight: 100, maskWidth: 256, maskHeight: 144) == 1)
    }

    @Test func edgesFollowStrandsBetterThanBilinear() {
        let sequence = SceneSequence.standard
        let (width, height) = (sequence.scene.width, sequence.scene.height)
        let upsampler = GuidedUpsampler()
        var guided: [Double] = []
        var bilinear: [Double] = []
        for t in [1, 5, 9, 13] {
            let frame = sequence.frames[t]
            let mask = sequence.modelMasks[t]
            let refined = upsampler.upsample(mask, luma: frame.luma, width: width, height: height)
            let plain = MaskResampling.bilinearUpsample(mask, width: width, height: height)
            guided.append(RefinementMetrics.boundaryError(refined.values, truth: frame.alpha, width: width, height: height))
            bilinear.append(RefinementMetrics.boundaryError(plain.values, truth: frame.alpha, width: width, height: height))
        }
        let (guidedMean, bilinearMean) = (guided.reduce(0, +) / 4, bilinear.reduce(0, +) / 4)
        #expect(guided.max()! <= 2, "guided boundary error per frame \(guided) px")
        #expect(guidedMean <= 0.7 * bilinearMean, "guided \(guidedMean) px vs bilinear \(bilinearMean) px")
    }

    @Test func backgroundTextureBarelyLeaksIntoTheMask() {
        let sequence = SceneSequence.standard
        let (width, height) = (sequence.scene.width, sequence.scene.height)
        let (frame, mask) = (sequence.frames[9], sequence.modelMasks[9])
        let refined = GuidedUpsampler().upsample(mask, luma: frame.luma, width: width, height: height)
        let plain = MaskResampling.bilinearUpsample(mask, width: width, height: height)
        let guidedHalo = RefinementMetrics.halo(refined.values, truth: frame.alpha, width: width, height: height)
        let bilinearHalo = RefinementMetrics.halo(plain.values, truth: frame.alpha, width: width, height: height)
        #expect(guidedHalo <= 2 * bilinearHalo, "halo guided \(guidedHalo) vs bilinear \(bilinearHalo)")
    }

    @Test func precomputedMaskSizeLumaGivesTheSameMask() {
        let sequence = SceneSequence.standard
        let (width, height) = (sequence.scene.width, sequence.scene.height)
        let upsampler = GuidedUpsampler()
        let computed = upsampler.upsample(sequence.modelMasks[3], luma: sequence.frames[3].luma, width: width, height: height)
        var given = Mask(width: width, height: height)
        upsampler.upsample(sequence.modelMasks[3], luma: sequence.frames[3].luma, width: width, height: height,
                           maskSizeLuma: sequence.modelGuide(3), into: &given)
        let worst = zip(computed.values, given.values).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4)
    }
}
