import BackdropCore
import Scene
import Testing

/// The synthesized background says what its description says: each label's mean colour and
/// its texture statistics, measured again on the output.
@Suite struct FidelityTests {
    /// Relative energy error, orientation error (degrees) and anisotropy error of `measured`
    /// against `given`; energies under 0.5 code values compare against 0.5.
    static func errors(_ measured: TextureStatistics, _ given: LabelAppearance) -> (energy: Double, orientation: Double, anisotropy: Double) {
        let energy = (0..<3).map { abs(measured.energy[$0] - given.energyValues[$0]) / max(0.5, given.energyValues[$0]) }.max()!
        let orientation = given.anisotropyValue >= 0.3
            ? TextureStatistics.orientationDifference(measured.orientationDegrees, given.orientationDegrees) : 0
        return (energy, orientation, abs(measured.anisotropy - given.anisotropyValue))
    }

    static func statistics(of frame: VideoFrame, labels: LabelMap) -> [TextureStatistics] {
        TextureStatistics.measure(StarletBands(luma: frame.y, width: frame.width, height: frame.height),
                                  regions: labels.interiorRegions(frameWidth: frame.width, frameHeight: frame.height),
                                  regionCount: labels.labelCount)
    }

    @Test func meanColourOfEveryLabelWithinDeltaE3() throws {
        let scene = TestScenes.room(sketch: false)
        let frame = try BackgroundSynthesizer().synthesize(scene)
        for (label, measured) in TestScenes.meanLab(of: frame, labels: scene.labels).enumerated() {
            let measured = try #require(measured)
            let difference = ColorDifference.ciede2000(measured, scene.appearances[label].lab)
            #expect(difference <= 3, "label \(label): ΔE2000 \(difference)")
        }
    }

    @Test(arguments: [(90.0, 0.0, 0.0), (50.0, 60.0, 40.0), (30.0, -40.0, 30.0), (65.0, -10.0, -45.0), (20.0, 5.0, -30.0),
                      (75.0, 20.0, 70.0)])
    func integerColourMatchesFloatingPoint(l: Double, a: Double, b: Double) {
        let appearance = LabelAppearance(lab: (l, a, b))
        let q = IntegerColor.ycbcrQ8(lq: Int(appearance.lightness), aq: Int(appearance.a), bq: Int(appearance.b))
        let lab = appearance.lab
        let rgb = ColorSpace.rgb(l: lab.l, a: lab.a, b: lab.b)  // clamped to the gamut, as the integer path does
        let expected = ColorSpace.ycbcr(red: rgb.red, green: rgb.green, blue: rgb.blue)
        let error = max(abs(Double(q.y) / 256 - expected.y), abs(Double(q.u) / 256 - expected.u), abs(Double(q.v) / 256 - expected.v))
        #expect(error < 0.25, "Y'CbCr off by \(error) code values")
    }

    @Test func textureStatisticsWithin20Percent() throws {
        let scene = TestScenes.room(frameWidth: 960, frameHeight: 540, sketch: false)
        let frame = try BackgroundSynthesizer().synthesize(scene)
        for (label, measured) in Self.statistics(of: frame, labels: scene.labels).enumerated() {
            let e = Self.errors(measured, scene.appearances[label])
            #expect(e.energy <= 0.2, "label \(label): energies \(measured.energy) for \(scene.appearances[label].energyValues)")
            #expect(e.orientation <= 18, "label \(label): orientation \(measured.orientationDegrees)")
            #expect(e.anisotropy <= 0.2, "label \(label): anisotropy \(measured.anisotropy)")
        }
    }

    @Test(arguments: [0.0, 0.4, 0.8], [0.0, 45.0, 100.0])
    func textureAcrossOrientationsAndStretch(anisotropy: Double, degrees: Double) throws {
        let map = LabelMap(width: 60, height: 40)
        for energy in [[1.0, 1.5, 2.5], [4.0, 3.0, 2.0], [6.0, 6.0, 6.0], [0.5, 2.0, 4.0]] {
            let appearance = LabelAppearance.reproducible(lab: (55, 0, 0), energy: energy, orientationDegrees: degrees,
                                                          anisotropy: anisotropy)
            let scene = SceneDescription(frameWidth: 480, frameHeight: 320, seed: 5, labels: map, appearances: [appearance])
            let measured = Self.statistics(of: try BackgroundSynthesizer().synthesize(scene), labels: map)[0]
            let e = Self.errors(measured, appearance)
            #expect(e.energy <= 0.2 && e.orientation <= 18 && e.anisotropy <= 0.2,
                    "\(energy) at \(degrees)°, \(anisotropy): measured \(measured)")
        }
    }

    /// The check above is not vacuous: a flat fill of the right colour fails it.
    @Test func flatFillFailsTheTextureCheck() throws {
        let scene = TestScenes.room(sketch: false)
        var flat = scene
        flat.appearances = scene.appearances.map { LabelAppearance(lightness: $0.lightness, a: $0.a, b: $0.b) }
        let frame = try BackgroundSynthesizer().synthesize(flat)
        let failing = Self.statistics(of: frame, labels: scene.labels).enumerated().filter { label, measured in
            Self.errors(measured, scene.appearances[label]).energy > 0.2
        }
        #expect(failing.count == scene.appearances.count)
    }
}
