import BackdropCore

/// Bilinear stretching of a frame to another size: the fallback when a background picture
/// does not match the frame (the caller normally scales it, keeping the aspect ratio).
enum FrameScaler {
    static func stretch(_ frame: VideoFrame, width: Int, height: Int) -> VideoFrame {
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        return VideoFrame(
            width: width, height: height,
            y: stretch(frame.y, frame.width, frame.height, to: width, height),
            u: stretch(frame.u, frame.chromaWidth, frame.chromaHeight, to: chromaWidth, chromaHeight),
            v: stretch(frame.v, frame.chromaWidth, frame.chromaHeight, to: chromaWidth, chromaHeight),
            pts: frame.pts, timeBase: frame.timeBase)
    }

    /// One plane, sampled at pixel centres (half-pixel convention, edges clamped).
    static func stretch(_ plane: [UInt8], _ width: Int, _ height: Int, to newWidth: Int, _ newHeight: Int) -> [UInt8] {
        func source(_ i: Int, _ from: Int, _ to: Int) -> (Int, Int, Double) {
            let position = min(max((Double(i) + 0.5) * Double(from) / Double(to) - 0.5, 0), Double(from - 1))
            let low = Int(position)
            return (low, min(low + 1, from - 1), position - Double(low))
        }
        var out = [UInt8](repeating: 0, count: newWidth * newHeight)
        for y in 0..<newHeight {
            let (top, bottom, ty) = source(y, height, newHeight)
            for x in 0..<newWidth {
                let (left, right, tx) = source(x, width, newWidth)
                let upper = Double(plane[top * width + left]) * (1 - tx) + Double(plane[top * width + right]) * tx
                let lower = Double(plane[bottom * width + left]) * (1 - tx) + Double(plane[bottom * width + right]) * tx
                out[y * newWidth + x] = UInt8((upper * (1 - ty) + lower * ty).rounded())
            }
        }
        return out
    }
}
