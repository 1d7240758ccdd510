import BackdropCore
@testable import Daemon
import Segmentation
import Testing

@Suite struct PreserveTests {
    @Test func parsesFractionsThatFitTheFrame() {
        #expect(PreserveBox(parsing: "0.6, 0.1, 0.35, 0.5") == PreserveBox(x: 0.6, y: 0.1, width: 0.35, height: 0.5))
        #expect(PreserveBox(parsing: "0,0,1,1") != nil)
        for bad in ["0.6,0.1,0.5,0.5", "0,0,0,1", "-0.1,0,0.5,0.5", "0,0,1", "a,b,c,d", "0,0,1,1,1", ""] {
            #expect(PreserveBox(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func pixelsRoundOutwardAndStayInside() {
        let box = PreserveBox(x: 0.25, y: 0.5, width: 0.5, height: 0.5)
        let r = box.pixels(width: 10, height: 5)
        #expect(r.x0 == 2 && r.x1 == 8 && r.y0 == 2 && r.y1 == 5)
    }

    /// A segmenter that finds nobody, standing in for the model.
    final class EmptySegmenter: FrameSegmenter {
        var lastTimings = PersonSegmenter.Timings()
        func segment(_ frame: VideoFrame) throws -> Mask { Mask(width: frame.width, height: frame.height) }
        func reset() {}
    }

    @Test func boxesAreKeptAndTheRestIsLeftToTheModel() throws {
        var config = DaemonConfiguration(source: "x", sinks: [.file(path: "o.mkv")], controlSocket: "/tmp/s")
        config.preserve = [PreserveBox(x: 0.5, y: 0, width: 0.5, height: 0.5)]
        let state = DaemonState(configuration: config)
        let segmenter = PreservingSegmenter(EmptySegmenter(), state: state)
        let mask = try segmenter.segment(VideoFrame(width: 8, height: 4, fillY: 0, fillU: 128, fillV: 128))
        for y in 0..<4 {
            for x in 0..<8 {
                #expect(mask.values[y * 8 + x] == (x >= 4 && y < 2 ? 1 : 0), "(\(x), \(y))")
            }
        }
        // Live: a reload that clears the boxes takes effect on the next frame.
        config.preserve = []
        state.configuration = config
        #expect(try segmenter.segment(VideoFrame(width: 8, height: 4, fillY: 0, fillU: 128, fillV: 128)).coverage() == 0)
    }
}
