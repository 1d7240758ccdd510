import BackdropCore
import Segmentation
import Testing

struct MaskResamplingTests {
    @Test func bilinearUsesHalfPixelCentres() {
        // Output pixel centres 0.5, 1.5, 2.5, 3.5 map to source -0.25, 0.25, 0.75, 1.25 (clamped).
        let mask = Mask(width: 2, height: 1, values: [0, 1])
        let up = MaskResampling.bilinearUpsample(mask, width: 4, height: 2)
        #expect(up.width == 4 && up.height == 2)
        #expect(up.values == [0, 0.25, 0.75, 1, 0, 0.25, 0.75, 1])
    }

    @Test func bilinearIntoReusesTheOutputSize() {
        let mask = Mask(width: 3, height: 2, values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        var output = Mask(width: 7, height: 5, fill: 9)
        MaskResampling.bilinearUpsample(mask, into: &output)
        #expect(output == MaskResampling.bilinearUpsample(mask, width: 7, height: 5))
        #expect(output.values.allSatisfy { $0 >= 0.1 && $0 <= 0.6 })
    }

    @Test func areaAverageIsTheBlockMean() {
        let plane = (0..<16).map { UInt8($0) }
        let means = MaskResampling.areaAverage(plane, width: 4, height: 4, toWidth: 2, toHeight: 2)
        #expect(means == [2.5, 4.5, 10.5, 12.5])
    }

    @Test func areaAverageCountsEveryPixelOnceForUnevenRatios() {
        // 5 columns into 2 cells: columns 0..<2 and 2..<5.
        let means = MaskResampling.areaAverage([1, 2, 3, 4, 5], width: 5, height: 1, toWidth: 2, toHeight: 1)
        #expect(means == [1.5, 4])
    }
}
