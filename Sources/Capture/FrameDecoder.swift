import BackdropCore

/// Turns the bytes of one captured buffer, in the negotiated format, into a yuv420p frame.
/// Sizes are cropped to even, as everywhere in Backdrop (yuv420p encoders and apps want them).
final class FrameDecoder {
    let format: CaptureFormat
    let width: Int
    let height: Int
    private var jpeg: JPEGDecoder?

    init(format: CaptureFormat) {
        self.format = format
        width = format.width & ~1
        height = format.height & ~1
    }

    func decode(_ bytes: UnsafeRawBufferPointer, pts: Int64, timeBase: Rational) throws(FrameDecodeError) -> VideoFrame {
        let planes: RawFrameConversion.Planes
        switch format.pixelFormat {
        case .yuyv:
            planes = try RawFrameConversion.yuyv(bytes, width: width, height: height, stride: format.bytesPerLine)
        case .nv12:
            planes = try RawFrameConversion.nv12(bytes, width: width, height: height, planeHeight: format.height,
                                                 stride: format.bytesPerLine)
        case .yuv420:
            planes = try RawFrameConversion.yuv420(bytes, width: width, height: height, planeHeight: format.height,
                                                   stride: format.bytesPerLine)
        default:
            if jpeg == nil { jpeg = try JPEGDecoder() }
            planes = try jpeg!.decode(bytes, width: width, height: height)
        }
        return VideoFrame(width: width, height: height, y: planes.y, u: planes.u, v: planes.v, pts: pts, timeBase: timeBase)
    }
}
