import BackdropCore
import Testing
@testable import Compositing

@Suite struct YUVColorTests {
    @Test(arguments: [
        // BT.601 studio-range values of the primaries, white and black (as in colour-bar tables).
        (255, 255, 255, 235, 128, 128), (0, 0, 0, 16, 128, 128),
        (255, 0, 0, 81, 90, 240), (0, 255, 0, 145, 54, 34), (0, 0, 255, 41, 240, 110),
    ])
    func referenceColors(red: Int, green: Int, blue: Int, y: Int, u: Int, v: Int) {
        let color = YUVColor(red: UInt8(red), green: UInt8(green), blue: UInt8(blue))
        #expect(color == YUVColor(y: UInt8(y), u: UInt8(u), v: UInt8(v)))
    }

    /// Every value is the BT.601 definition (from Kr, Kb), correctly rounded.
    @Test func matchesTheDefinitionRoundedToNearest() {
        let kr = 0.299, kb = 0.114, kg = 1 - kr - kb
        for red in stride(from: 0, through: 255, by: 15) {
            for green in stride(from: 0, through: 255, by: 15) {
                for blue in stride(from: 0, through: 255, by: 15) {
                    let r = Double(red) / 255, g = Double(green) / 255, b = Double(blue) / 255
                    let luma = kr * r + kg * g + kb * b
                    let exactY = 16 + 219 * luma
                    let exactU = 128 + 224 * (b - luma) / (2 * (1 - kb))
                    let exactV = 128 + 224 * (r - luma) / (2 * (1 - kr))
                    let color = YUVColor(red: UInt8(red), green: UInt8(green), blue: UInt8(blue))
                    #expect(abs(Double(color.y) - exactY) <= 0.5 + 1e-9, "\(red),\(green),\(blue)")
                    #expect(abs(Double(color.u) - exactU) <= 0.5 + 1e-9, "\(red),\(green),\(blue)")
                    #expect(abs(Double(color.v) - exactV) <= 0.5 + 1e-9, "\(red),\(green),\(blue)")
                }
            }
        }
    }

    @Test func colorBackgroundFillsEveryPlane() {
        let color = YUVColor(red: 0x33, green: 0x99, blue: 0xCC)
        var renderer = BackgroundRenderer(.color(color))
        for (width, height) in TestFrames.oddAndEvenSizes {
            let frame = TestFrames.random(width: width, height: height, seed: 1)
            let background = renderer.render(for: frame, alpha: nil)
            #expect(background.width == width && background.height == height)
            #expect(background.y == [UInt8](repeating: color.y, count: width * height))
            #expect(background.u == [UInt8](repeating: color.u, count: frame.chromaWidth * frame.chromaHeight))
            #expect(background.v == [UInt8](repeating: color.v, count: frame.chromaWidth * frame.chromaHeight))
            #expect(background.pts == frame.pts && background.timeBase == frame.timeBase)
        }
    }
}
