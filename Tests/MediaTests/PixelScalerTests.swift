import BackdropCore
import Foundation
import Media
import Testing
import TestSupport

@Suite struct PixelScalerTests {
    private func firstFrame(_ graph: String) throws -> VideoFrame {
        let reader = try MediaReader(url: "lavfi:" + graph, logger: testLogger)
        guard case .video(let frame)? = try reader.next() else { throw MediaError.noVideoStream(path: graph) }
        return frame
    }

    @Test(arguments: [PixelScaler.Filter.fastBilinear, .bilinear, .area])
    func solidRedStaysRedAtModelSize(filter: PixelScaler.Filter) throws {
        let frame = try firstFrame("color=c=red:size=1280x720:rate=1:duration=1")
        let image = try PixelScaler(filter: filter).rgbImage(from: frame, width: 256, height: 144)
        #expect(image.width == 256 && image.height == 144)
        var allRed = true
        for i in 0..<(256 * 144) where image.pixels[3 * i] <= 200 || image.pixels[3 * i + 1] >= 60 || image.pixels[3 * i + 2] >= 60 {
            allRed = false
        }
        #expect(allRed)
    }

    @Test func keepsLayoutWhenShrinking() throws {
        // Left half blue, right half green: the halves must stay on their sides.
        let frame = try firstFrame("color=c=blue:size=1280x720:rate=1:duration=1[a];color=c=lime:size=640x720:rate=1:duration=1[b];[a][b]overlay=x=640")
        let image = try PixelScaler().rgbImage(from: frame, width: 256, height: 256)
        func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
            let i = 3 * (y * 256 + x)
            return (Int(image.pixels[i]), Int(image.pixels[i + 1]), Int(image.pixels[i + 2]))
        }
        let left = pixel(20, 128), right = pixel(235, 128)
        #expect(left.2 > 200 && left.1 < 60)
        #expect(right.1 > 200 && right.2 < 60)
    }

    @Test func rgbToFrameAndBack() throws {
        var pixels = [UInt8](repeating: 0, count: 64 * 48 * 3)
        for y in 0..<48 {
            for x in 0..<64 {
                let i = 3 * (y * 64 + x)
                pixels[i] = UInt8(x * 4); pixels[i + 1] = UInt8(y * 5); pixels[i + 2] = 128
            }
        }
        let image = RGBImage(width: 64, height: 48, pixels: pixels)
        let scaler = PixelScaler()
        let frame = try scaler.videoFrame(from: image, width: 64, height: 48, pts: 9, timeBase: Rational(1, 50))
        #expect(frame.width == 64 && frame.height == 48 && frame.pts == 9 && frame.timeBase == Rational(1, 50))
        let back = try PixelScaler().rgbImage(from: frame, width: 64, height: 48)
        var worst = 0
        for i in pixels.indices { worst = max(worst, abs(Int(back.pixels[i]) - Int(pixels[i]))) }
        #expect(worst <= 12, "4:2:0 chroma subsampling of a smooth gradient loses little")
    }

    @Test func resizesFramesKeepingTime() throws {
        let frame = try firstFrame("testsrc2=size=1280x720:rate=1:duration=1")
        let small = try PixelScaler(filter: .area).resize(frame, width: 320, height: 180)
        #expect(small.width == 320 && small.height == 180 && small.u.count == 160 * 90)
        #expect(small.pts == frame.pts && small.timeBase == frame.timeBase)
        let mean = small.y.reduce(0) { $0 + Int($1) } / small.y.count
        let originalMean = frame.y.reduce(0) { $0 + Int($1) } / frame.y.count
        #expect(abs(mean - originalMean) <= 2)
    }

    @Test func framesWithoutSpareCapacityGiveTheSameResult() throws {
        // Reader frames are read in place; plain arrays, odd strides and same-size conversions go
        // through an aligned copy. Where the pixels live must not change the result.
        for size in ["320x240", "330x186"] {
            let frame = try firstFrame("testsrc2=size=\(size):rate=1:duration=1")
            let plain = VideoFrame(width: frame.width, height: frame.height, y: Array(frame.y[...]),
                                   u: Array(frame.u[...]), v: Array(frame.v[...]), pts: frame.pts, timeBase: frame.timeBase)
            let scaler = PixelScaler()
            for (w, h) in [(frame.width, frame.height), (256, 144), (250, 142), (17, 9)] {
                let a = try scaler.rgbImage(from: frame, width: w, height: h)
                let b = try scaler.rgbImage(from: plain, width: w, height: h)
                #expect(a == b)
                #expect(try scaler.videoFrame(from: a, width: w, height: h).y == scaler.videoFrame(from: b, width: w, height: h).y)
            }
        }
    }

    @Test func changingSizesReusesNothingStale() throws {
        let frame = try firstFrame("color=c=white:size=640x360:rate=1:duration=1")
        let scaler = PixelScaler()
        for (w, h) in [(256, 144), (256, 256), (256, 144), (10, 10)] {
            let image = try scaler.rgbImage(from: frame, width: w, height: h)
            #expect(image.width == w && image.height == h && image.pixels.allSatisfy { $0 >= 250 })
        }
    }

    @Test func rejectsEmptySizes() throws {
        let frame = VideoFrame(width: 4, height: 4, fillY: 16, fillU: 128, fillV: 128)
        #expect(throws: MediaError.self) { _ = try PixelScaler().rgbImage(from: frame, width: 0, height: 4) }
    }
}
