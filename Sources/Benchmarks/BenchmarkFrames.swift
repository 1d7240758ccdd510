import BackdropCore
import Foundation
import Media

/// Frames to benchmark on: the astronaut test picture at 1280x720 when setup fetched it (a real
/// person, so the mask has real edges), with a little noise per frame so no step sees the same
/// input twice; a synthetic room otherwise.
enum BenchmarkFrames {
    static func make(width: Int, height: Int, count: Int) throws -> (frames: [VideoFrame], source: String) {
        var base: VideoFrame
        var source: String
        if let path = mediaPath("astronaut.png") {
            let image = try ImageFile.load(path: path)
            base = try PixelScaler().videoFrame(from: image, width: width, height: height)
            source = "astronaut.png stretched to \(width)x\(height), noise per frame"
        } else {
            base = VideoFrame(width: width, height: height, fillY: 120, fillU: 128, fillV: 128)
            for i in 0..<base.y.count { base.y[i] = UInt8(40 + (i % width) * 160 / width) }
            source = "synthetic gradient \(width)x\(height), noise per frame (astronaut.png not fetched)"
        }
        var state: UInt64 = 0x5EED
        let frames = (0..<count).map { n -> VideoFrame in
            var frame = base
            frame.pts = Int64(n)
            frame.y.withUnsafeMutableBufferPointer { y in
                for i in 0..<y.count {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let noise = Int((state >> 60) & 7) - 4
                    y[i] = UInt8(clamping: Int(y[i]) + noise)
                }
            }
            return frame
        }
        return (frames, source)
    }

    static func mediaPath(_ name: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        let dir = env["BACKDROP_MEDIA"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? "") + "/.cache/backdrop/media"
        let path = dir + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
