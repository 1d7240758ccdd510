import Scene
import Testing

/// CIEDE2000 against the published test data (Sharma, Wu and Dalal 2005, table 1).
@Suite struct ColorDifferenceTests {
    @Test(arguments: [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
        ((50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ])
    func sharmaPairs(first: (Double, Double, Double), second: (Double, Double, Double), expected: Double) {
        let difference = ColorDifference.ciede2000((first.0, first.1, first.2), (second.0, second.1, second.2))
        #expect(abs(difference - expected) < 1e-4)
    }

    @Test func labRoundTripsThroughRGB() {
        let lab = ColorSpace.lab(red: 200, green: 120, blue: 40)
        let rgb = ColorSpace.rgb(l: lab.l, a: lab.a, b: lab.b)
        #expect(abs(rgb.red - 200) < 1e-3 && abs(rgb.green - 120) < 1e-3 && abs(rgb.blue - 40) < 1e-3, "\(rgb)")
    }
}
