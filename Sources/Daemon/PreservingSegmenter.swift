import BackdropCore
import Segmentation

/// Marks the configured preserve boxes as "keep" in every mask, so a whiteboard or a product on
/// the desk stays in the picture. The boxes come from `state` each frame: a reload changes them live.
/// A frame whose segmentation fails still fails (closed): the boxes are never shown without a mask.
final class PreservingSegmenter: FrameSegmenter {
    private let inner: any FrameSegmenter
    private let state: DaemonState

    init(_ inner: any FrameSegmenter, state: DaemonState) {
        self.inner = inner
        self.state = state
    }

    var lastTimings: PersonSegmenter.Timings { inner.lastTimings }

    func reset() {
        inner.reset()
    }

    func segment(_ frame: VideoFrame) throws -> Mask {
        var mask = try inner.segment(frame)
        let boxes = state.preserve
        guard !boxes.isEmpty else { return mask }
        Self.fill(&mask, boxes: boxes)
        return mask
    }

    static func fill(_ mask: inout Mask, boxes: [PreserveBox]) {
        let width = mask.width, height = mask.height
        mask.values.withUnsafeMutableBufferPointer { values in
            for box in boxes {
                let r = box.pixels(width: width, height: height)
                guard r.x1 > r.x0 else { continue }
                for y in r.y0..<r.y1 {
                    let row = y * width
                    for x in (row + r.x0)..<(row + r.x1) { values[x] = 1 }
                }
            }
        }
    }
}
