import BackdropCore

/// Lays a yuv420p frame out as the loopback layout wants it, into a caller's buffer.
enum FramePacker {
    /// `frame` must have the layout's size, or one more column or row (an odd size, cropped);
    /// `target` holds `layout.imageSize` bytes.
    static func pack(_ frame: VideoFrame, as layout: LoopbackLayout, into target: UnsafeMutableRawBufferPointer) {
        precondition(frame.width & ~1 == layout.width && frame.height & ~1 == layout.height && target.count >= layout.imageSize)
        let out = target.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let width = layout.width, height = layout.height, stride = layout.bytesPerLine
        let lumaStride = frame.width, cw = frame.chromaWidth
        frame.y.withUnsafeBufferPointer { yb in
            frame.u.withUnsafeBufferPointer { ub in
                frame.v.withUnsafeBufferPointer { vb in
                    let y = yb.baseAddress!, u = ub.baseAddress!, v = vb.baseAddress!
                    switch layout.format {
                    case .yuyv:
                        // Each chroma row serves two luma rows, as 4:2:0 sampled it.
                        for row in 0..<height {
                            let line = out + row * stride, yRow = y + row * lumaStride
                            let uRow = u + (row / 2) * cw, vRow = v + (row / 2) * cw
                            for pair in 0..<width / 2 {
                                line[4 * pair] = yRow[2 * pair]
                                line[4 * pair + 1] = uRow[pair]
                                line[4 * pair + 2] = yRow[2 * pair + 1]
                                line[4 * pair + 3] = vRow[pair]
                            }
                        }
                    case .yuv420:
                        let chromaStride = stride / 2, chromaRows = height / 2
                        let uPlane = out + stride * height, vPlane = uPlane + chromaStride * chromaRows
                        for row in 0..<height { (out + row * stride).update(from: y + row * lumaStride, count: width) }
                        for row in 0..<chromaRows {
                            (uPlane + row * chromaStride).update(from: u + row * cw, count: width / 2)
                            (vPlane + row * chromaStride).update(from: v + row * cw, count: width / 2)
                        }
                    }
                }
            }
        }
    }

    /// Nearest-neighbour resize, for the rare case the device keeps a size other than the
    /// frames' (another program fixed it first); cheap, and the mismatch is logged.
    static func resize(_ frame: VideoFrame, width: Int, height: Int) -> VideoFrame {
        func plane(_ source: [UInt8], _ sw: Int, _ sh: Int, _ dw: Int, _ dh: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: dw * dh) { out, count in
                source.withUnsafeBufferPointer { src in
                    for row in 0..<dh {
                        let sourceRow = (row * sh / dh) * sw
                        for x in 0..<dw { out[row * dw + x] = src[sourceRow + x * sw / dw] }
                    }
                }
                count = dw * dh
            }
        }
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        return VideoFrame(width: width, height: height,
                          y: plane(frame.y, frame.width, frame.height, width, height),
                          u: plane(frame.u, frame.chromaWidth, frame.chromaHeight, cw, ch),
                          v: plane(frame.v, frame.chromaWidth, frame.chromaHeight, cw, ch),
                          pts: frame.pts, timeBase: frame.timeBase)
    }
}
