import BackdropCore

/// Uncompressed camera layouts to tight yuv420p planes. Sizes are even (callers crop);
/// `stride` is the driver's bytes per line of the first plane.
enum RawFrameConversion {
    typealias Planes = (y: [UInt8], u: [UInt8], v: [UInt8])

    /// Packed 4:2:2 (Y0 U Y1 V): luma copied, each chroma sample the rounded mean of two rows.
    static func yuyv(_ source: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int) throws(FrameDecodeError) -> Planes {
        let needed = stride * (height - 1) + width * 2
        guard source.count >= needed else { throw .truncated(bytes: source.count, needed: needed) }
        let base = source.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let cw = width / 2, ch = height / 2
        let y = [UInt8](unsafeUninitializedCapacity: width * height) { out, count in
            for row in 0..<height {
                let line = base + row * stride, target = out.baseAddress! + row * width
                for x in 0..<width { target[x] = line[2 * x] }
            }
            count = width * height
        }
        var v = [UInt8](repeating: 0, count: cw * ch)
        let u = [UInt8](unsafeUninitializedCapacity: cw * ch) { uOut, count in
            v.withUnsafeMutableBufferPointer { vOut in
                for row in 0..<ch {
                    let top = base + 2 * row * stride, bottom = top + stride
                    let uRow = uOut.baseAddress! + row * cw, vRow = vOut.baseAddress! + row * cw
                    for x in 0..<cw {
                        uRow[x] = UInt8((UInt16(top[4 * x + 1]) + UInt16(bottom[4 * x + 1]) + 1) >> 1)
                        vRow[x] = UInt8((UInt16(top[4 * x + 3]) + UInt16(bottom[4 * x + 3]) + 1) >> 1)
                    }
                }
            }
            count = cw * ch
        }
        return (y, u, v)
    }

    /// Semi-planar 4:2:0: a luma plane, then interleaved U/V rows at the same stride.
    /// `planeHeight` is the driver's height (the chroma plane starts after that many rows).
    static func nv12(_ source: UnsafeRawBufferPointer, width: Int, height: Int, planeHeight: Int,
                     stride: Int) throws(FrameDecodeError) -> Planes {
        let chromaOffset = stride * planeHeight
        let needed = chromaOffset + stride * (height / 2 - 1) + width
        guard source.count >= needed else { throw .truncated(bytes: source.count, needed: needed) }
        let base = source.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let cw = width / 2, ch = height / 2
        let y = copyPlane(base, stride: stride, width: width, height: height)
        var v = [UInt8](repeating: 0, count: cw * ch)
        let u = [UInt8](unsafeUninitializedCapacity: cw * ch) { uOut, count in
            v.withUnsafeMutableBufferPointer { vOut in
                for row in 0..<ch {
                    let line = base + chromaOffset + row * stride
                    let uRow = uOut.baseAddress! + row * cw, vRow = vOut.baseAddress! + row * cw
                    for x in 0..<cw {
                        uRow[x] = line[2 * x]
                        vRow[x] = line[2 * x + 1]
                    }
                }
            }
            count = cw * ch
        }
        return (y, u, v)
    }

    /// Planar 4:2:0 (YU12): three planes, chroma at half the stride.
    static func yuv420(_ source: UnsafeRawBufferPointer, width: Int, height: Int, planeHeight: Int,
                       stride: Int) throws(FrameDecodeError) -> Planes {
        let chromaStride = stride / 2, chromaRows = (planeHeight + 1) / 2
        let uOffset = stride * planeHeight, vOffset = uOffset + chromaStride * chromaRows
        let needed = vOffset + chromaStride * (height / 2 - 1) + width / 2
        guard source.count >= needed else { throw .truncated(bytes: source.count, needed: needed) }
        let base = source.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return (copyPlane(base, stride: stride, width: width, height: height),
                copyPlane(base + uOffset, stride: chromaStride, width: width / 2, height: height / 2),
                copyPlane(base + vOffset, stride: chromaStride, width: width / 2, height: height / 2))
    }

    static func copyPlane(_ source: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: width * height) { out, count in
            for row in 0..<height {
                (out.baseAddress! + row * width).initialize(from: source + row * stride, count: width)
            }
            count = width * height
        }
    }
}
