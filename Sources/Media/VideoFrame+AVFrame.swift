import BackdropCore
import CFFmpeg

extension VideoFrame {
    /// Copies a decoded frame into Swift memory as limited-range yuv420p: its top-left
    /// `sourceWidth` x `sourceHeight` (callers crop odd sizes this way), scaled to `width` x `height`
    /// if those differ. Planes get swscale slack.
    init(avFrame: UnsafePointer<AVFrame>, sourceWidth: Int, sourceHeight: Int, width: Int, height: Int,
         pts: Int64, timeBase: Rational, converter: SwsConverter) throws {
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        var y = [UInt8](simdPaddedCount: width * height) { _ in }
        var u = [UInt8](simdPaddedCount: cw * ch) { _ in }
        var v = [UInt8](simdPaddedCount: cw * ch) { _ in }
        let source = PlanePointers(frame: avFrame, width: sourceWidth, height: sourceHeight)
        try y.withUnsafeMutableBufferPointer { yb in
            try u.withUnsafeMutableBufferPointer { ub in
                try v.withUnsafeMutableBufferPointer { vb in
                    let target = PlanePointers.yuv420p(yb.baseAddress!, ub.baseAddress!, vb.baseAddress!,
                                                       width: width, height: height)
                    if source.format == AV_PIX_FMT_YUV420P && !source.fullRange
                        && sourceWidth == width && sourceHeight == height {
                        for plane in 0..<3 {
                            copyPlane(from: source.data[plane]!, stride: Int(source.strides[plane]),
                                      to: target.data[plane]!, stride: Int(target.strides[plane]),
                                      rowBytes: Int(target.strides[plane]), rows: plane == 0 ? height : ch)
                        }
                    } else {
                        try converter.convert(source, to: target)
                    }
                }
            }
        }
        self.init(width: width, height: height, y: y, u: u, v: v, pts: pts, timeBase: timeBase)
    }

    /// Copies the planes into `avFrame`, an allocated, writable yuv420p frame of the same size.
    package func copy(into avFrame: UnsafeMutablePointer<AVFrame>) {
        let planes = [y, u, v]
        for (index, plane) in planes.enumerated() {
            let rowBytes = index == 0 ? width : chromaWidth
            plane.withUnsafeBufferPointer { buffer in
                copyPlane(from: buffer.baseAddress!, stride: rowBytes,
                          to: backdrop_frame_plane(avFrame, Int32(index)),
                          stride: Int(backdrop_frame_linesize(avFrame, Int32(index))),
                          rowBytes: rowBytes, rows: index == 0 ? height : chromaHeight)
            }
        }
    }
}
