import BackdropCore
import Foundation
@testable import Scene

/// A person (head and shoulders, soft-edged mask like a segmenter's) swaying in front of the
/// test room, at any size; the lights can go up by `brightness` code values.
struct MovingPerson {
    let width: Int
    let height: Int
    /// Noisy pictures of the room, cycled so that frames differ without one photo per frame.
    private let rooms: [VideoFrame]
    private let brighterRooms: [VideoFrame]

    init(width: Int, height: Int, variants: Int = 4, brightness: Double = 40) {
        self.width = width
        self.height = height
        let layout = TestScenes.roomLayout(width: (width + 7) / 8, height: (height + 7) / 8)
        func photos(_ offset: Double) -> [VideoFrame] {
            (0..<variants).map { k in
                TestScenes.photo(layout: layout, colours: TestScenes.photoColours.map { ($0.0 + offset, $0.1, $0.2) },
                                 width: width, height: height, noise: 3, seed: UInt64(500 + k))
            }
        }
        rooms = photos(0)
        brighterRooms = photos(brightness)
    }

    /// Frame `index` (pts = index) and its mask; the lights are up from `lightsUpAt` on.
    func frame(_ index: Int, lightsUpAt: Int = .max) -> (VideoFrame, Mask) {
        var frame = (index >= lightsUpAt ? brighterRooms : rooms)[index % rooms.count]
        frame.pts = Int64(index)
        var mask = Mask(width: width, height: height)
        let (w, h) = (Double(width), Double(height))
        let centre = w * (0.5 + 0.3 * sin(Double(index) * 0.09))
        let headY = 0.38 * h, headRadius = 0.13 * h
        let torsoTop = 0.55 * h, torsoHalf = 0.17 * w
        let ramp = max(1.5, 0.006 * w)  // soft edge, a few pixels at 720p
        for y in 0..<height {
            let py = Double(y) + 0.5
            for x in 0..<width {
                let px = Double(x) + 0.5
                let head = headRadius - ((px - centre) * (px - centre) + (py - headY) * (py - headY)).squareRoot()
                let torso = min(torsoHalf - abs(px - centre), py - torsoTop)
                let inside = max(head, torso)  // signed distance to the edge, positive inside
                let value = Float(min(1, max(0, 0.5 + inside / ramp)))
                guard value > 0 else { continue }
                let i = y * width + x
                mask.values[i] = value
                if value > 0.5 {
                    frame.y[i] = UInt8(70 + (x * 7 + y * 3) % 23)
                    if y % 2 == 0 && x % 2 == 0 {
                        let c = (y / 2) * frame.chromaWidth + x / 2
                        frame.u[c] = 110
                        frame.v[c] = 150
                    }
                }
            }
        }
        return (frame, mask)
    }

    /// The same frame with a mask that says the person fills it.
    func hidden(_ index: Int) -> (VideoFrame, Mask) {
        (frame(index).0, Mask(width: width, height: height, fill: 1))
    }
}
