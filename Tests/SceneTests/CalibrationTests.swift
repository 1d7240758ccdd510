import BackdropCore
@testable import Scene
import Testing

/// `TextureModel.responses` and `gradientEnergy` were measured on this synthesizer (see
/// docs/synthesis.md, "Calibration"); this measures them again, so a change to the generator
/// that would make them stale fails here rather than silently missing texture statistics.
@Suite struct CalibrationTests {
    @Test(arguments: [0, 204])
    func responsesMatchTheGenerator(anisotropy: Int) throws {
        let (width, height) = (640, 480)
        let map = LabelMap(width: width / 8, height: height / 8)
        let regions = map.interiorRegions(frameWidth: width, frameHeight: height)
        let synthesizer = BackgroundSynthesizer()
        let expected = TextureModel.response(at: anisotropy)
        for band in 0..<3 {
            var squares = [0, 0, 0]
            squares[band] = 4096  // gain 1024, a quarter of the calibration gain
            synthesizer.calibrationSquares = squares
            var measured = [0.0, 0.0, 0.0]
            for degrees in [0.0, 30.0, 90.0] {
                let appearance = LabelAppearance(lightness: 128, a: 0, b: 0, orientation: UInt8(degrees * 256 / 180),
                                                 anisotropy: UInt8(anisotropy))
                let scene = SceneDescription(frameWidth: width, frameHeight: height, seed: 7, labels: map, appearances: [appearance])
                let frame = try synthesizer.synthesize(scene)
                let stats = TextureStatistics.measure(StarletBands(luma: frame.y, width: width, height: height),
                                                      regions: regions, regionCount: 1)[0]
                for j in 0..<3 { measured[j] += stats.energy[j] * 4 / 3 }
            }
            for j in 0..<3 {
                let table = (Double(expected[j][band]) / 256).squareRoot()
                #expect(abs(measured[j] - table) <= 0.04 * table + 0.1,
                        "generator \(band) into band \(j) at anisotropy \(anisotropy): measured \(measured[j]), table \(table)")
            }
        }
    }
}
