import BackdropCore
import CFFmpeg
import Media

/// Turns decoded pictures into `VideoFrame`s of one fixed size (the first picture's, cropped to
/// even): yuv420p at that size is copied as is; any other format or size goes through swscale,
/// so a sender that restarts at another resolution does not change what sinks receive.
final class DecodedPictureConverter {
    private(set) var width = 0
    private(set) var height = 0
    /// Whether the last conversion had to rescale a picture of another size.
    private(set) var rescaled = false
    private var context: OpaquePointer?
    private let converted = Frame()

    deinit {
        sws_freeContext(context)
    }

    func videoFrame(from frame: UnsafeMutablePointer<AVFrame>, pts: Int64, timeBase: Rational) throws(StreamingError) -> VideoFrame {
        let sourceWidth = Int(frame.pointee.width), sourceHeight = Int(frame.pointee.height)
        if width == 0 {
            width = max(2, sourceWidth & ~1)
            height = max(2, sourceHeight & ~1)
        }
        let format = AVPixelFormat(rawValue: frame.pointee.format)
        rescaled = (sourceWidth & ~1) != width || (sourceHeight & ~1) != height
        var source = UnsafePointer(frame)
        if format != AV_PIX_FMT_YUV420P || rescaled {
            try convert(frame, format: format, sourceWidth: sourceWidth, sourceHeight: sourceHeight)
            source = UnsafePointer(converted.pointer)
        }
        let cw = width / 2, ch = height / 2
        // Padded like MediaReader's planes, so PixelScaler reads them in place.
        let y = [UInt8](simdPaddedCount: width * height) { plane(source, 0, into: $0, rowBytes: width, rows: height) }
        let u = [UInt8](simdPaddedCount: cw * ch) { plane(source, 1, into: $0, rowBytes: cw, rows: ch) }
        let v = [UInt8](simdPaddedCount: cw * ch) { plane(source, 2, into: $0, rowBytes: cw, rows: ch) }
        return VideoFrame(width: width, height: height, y: y, u: u, v: v, pts: pts, timeBase: timeBase)
    }

    private func plane(_ frame: UnsafePointer<AVFrame>, _ index: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>,
                       rowBytes: Int, rows: Int) {
        copyPlane(from: backdrop_frame_plane(frame, index), stride: Int(backdrop_frame_linesize(frame, index)),
                  to: buffer.baseAddress!, stride: rowBytes, rowBytes: rowBytes, rows: rows)
    }

    private func convert(_ frame: UnsafeMutablePointer<AVFrame>, format: AVPixelFormat,
                         sourceWidth: Int, sourceHeight: Int) throws(StreamingError) {
        context = sws_getCachedContext(context, Int32(sourceWidth), Int32(sourceHeight), format,
                                       Int32(width), Int32(height), AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        guard let context else {
            let name = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "format \(format.rawValue)"
            throw .ffmpeg(operation: "converting \(name) \(sourceWidth)x\(sourceHeight) pictures to yuv420p \(width)x\(height)",
                          code: backdrop_averror(EINVAL), message: "swscale has no such conversion")
        }
        let target = converted.pointer
        if backdrop_frame_plane(target, 0) == nil {
            target.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            target.pointee.width = Int32(width)
            target.pointee.height = Int32(height)
            let allocated = av_frame_get_buffer(target, 0)
            guard allocated >= 0 else {
                throw StreamingError.ffmpeg("allocating a picture", allocated)
            }
        }
        let status = sws_scale_frame(context, target, frame)
        guard status >= 0 else {
            throw StreamingError.ffmpeg("converting a decoded picture", status)
        }
    }
}
