import CFFmpeg

/// The usual webcam JPEG (full-range 4:2:2 or 4:2:0 at the negotiated size) to limited-range
/// yuv420p with one table lookup per sample. swscale's range-converting path is slower: with it a
/// noisy 1280x720 MJPEG frame took 8.8 ms to capture, with this 6.8 ms (release build).
enum RangeConversion {
    /// Full range (0...255) to limited (16...235 luma, 16...240 chroma), rounded.
    private static let luma: [UInt8] = (0..<256).map { UInt8((16 + Double($0) * 219 / 255).rounded()) }
    private static let chroma: [UInt8] = (0..<256).map { UInt8((128 + (Double($0) - 128) * 224 / 255).rounded()) }

    /// nil when the frame is anything else (another layout, limited range, another size):
    /// swscale handles those.
    static func toLimited420(_ frame: UnsafeMutablePointer<AVFrame>, width: Int, height: Int) -> RawFrameConversion.Planes? {
        let f = frame.pointee
        let format = AVPixelFormat(rawValue: f.format)
        let fullRange = f.color_range == AVCOL_RANGE_JPEG || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ420P
        let rowsPerChromaRow: Int
        switch format {
        case AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUV422P: rowsPerChromaRow = 1
        case AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUV420P: rowsPerChromaRow = 2
        default: return nil
        }
        guard fullRange, Int(f.width) & ~1 == width, Int(f.height) & ~1 == height,
              let y = backdrop_frame_plane(frame, 0), let u = backdrop_frame_plane(frame, 1),
              let v = backdrop_frame_plane(frame, 2) else { return nil }
        let yStride = Int(backdrop_frame_linesize(frame, 0))
        let uStride = Int(backdrop_frame_linesize(frame, 1)), vStride = Int(backdrop_frame_linesize(frame, 2))
        let cw = width / 2, ch = height / 2
        return luma.withUnsafeBufferPointer { lumaTable in
            chroma.withUnsafeBufferPointer { chromaTable in
                let yOut = [UInt8](unsafeUninitializedCapacity: width * height) { out, count in
                    for row in 0..<height {
                        let source = y + row * yStride, target = out.baseAddress! + row * width
                        for x in 0..<width { target[x] = lumaTable[Int(source[x])] }
                    }
                    count = width * height
                }
                func plane(_ source: UnsafeMutablePointer<UInt8>, _ stride: Int) -> [UInt8] {
                    [UInt8](unsafeUninitializedCapacity: cw * ch) { out, count in
                        for row in 0..<ch {
                            let target = out.baseAddress! + row * cw
                            if rowsPerChromaRow == 2 {
                                let line = source + row * stride
                                for x in 0..<cw { target[x] = chromaTable[Int(line[x])] }
                            } else {
                                // 4:2:2 has a chroma row per luma row: average each pair.
                                let top = source + 2 * row * stride, bottom = top + stride
                                for x in 0..<cw { target[x] = chromaTable[(Int(top[x]) + Int(bottom[x]) + 1) >> 1] }
                            }
                        }
                        count = cw * ch
                    }
                }
                return (yOut, plane(u, uStride), plane(v, vStride))
            }
        }
    }
}
