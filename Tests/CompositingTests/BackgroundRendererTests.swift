import BackdropCore
import Testing
@testable import Compositing

@Suite struct BackgroundRendererTests {
    @Test func imageOfTheFrameSizeIsUsedAsIs() {
        let image = TestFrames.random(width: 9, height: 5, seed: 7)
        var renderer = BackgroundRenderer(.image(image))
        for pts in [Int64(3), 4] {
            var frame = TestFrames.random(width: 9, height: 5, seed: 8)
            frame.pts = pts
            let background = renderer.render(for: frame, alpha: TestFrames.randomMask(width: 9, height: 5, seed: 9))
            #expect(background.y == image.y && background.u == image.u && background.v == image.v)
            #expect(background.pts == pts && background.timeBase == frame.timeBase)
        }
    }

    @Test func imageOfAnotherSizeIsStretched() {
        let image = VideoFrame(width: 8, height: 6, fillY: 90, fillU: 60, fillV: 200)
        var renderer = BackgroundRenderer(.image(image))
        let background = renderer.render(for: TestFrames.random(width: 17, height: 9, seed: 1), alpha: nil)
        #expect(background.width == 17 && background.height == 9)
        #expect(background.y.allSatisfy { $0 == 90 })
        #expect(background.u.allSatisfy { $0 == 60 } && background.v.allSatisfy { $0 == 200 })
    }

    @Test func stretchingKeepsAGradientMonotonic() {
        let ramp = (0..<16).map { UInt8($0 * 16) }
        let wide = FrameScaler.stretch(ramp, 16, 1, to: 40, 1)
        #expect(wide.count == 40)
        #expect(zip(wide, wide.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(wide.first == ramp.first && wide.last == ramp.last)
    }

    @Test func modesResolveToBackgrounds() throws {
        var loaded: [String] = []
        let picture = VideoFrame(width: 4, height: 4, fillY: 1, fillU: 2, fillV: 3)
        struct Unreadable: Error {}
        let load = { (path: String) throws -> VideoFrame in
            loaded.append(path)
            guard path != "/missing.png" else { throw Unreadable() }
            return picture
        }

        guard case .blur(let strength) = try Background(.blur(strength: 4), loadImage: load) else {
            Issue.record("blur did not resolve to blur"); return
        }
        #expect(strength == 4)
        guard case .color(let color) = try Background(.color(red: 255, green: 255, blue: 255), loadImage: load) else {
            Issue.record("color did not resolve to color"); return
        }
        #expect(color == YUVColor(y: 235, u: 128, v: 128))
        #expect(loaded.isEmpty)
        guard case .image(let image) = try Background(.image(path: "/x/y.png"), loadImage: load) else {
            Issue.record("image did not resolve to image"); return
        }
        #expect(image.y == picture.y)
        #expect(loaded == ["/x/y.png"])
        #expect(throws: Unreadable.self) { try Background(.image(path: "/missing.png"), loadImage: load) }
    }
}
