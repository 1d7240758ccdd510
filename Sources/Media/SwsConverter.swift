import CFFmpeg

/// One picture as swscale sees it: format, size, and up to four plane pointers with strides.
struct PlanePointers {
    var format: AVPixelFormat
    var width: Int
    var height: Int
    var data: [UnsafeMutablePointer<UInt8>?]
    var strides: [Int32]
    /// Full-range ("JPEG") YUV rather than the usual limited range.
    var fullRange = false

    init(format: AVPixelFormat, width: Int, height: Int,
         data: [UnsafeMutablePointer<UInt8>?], strides: [Int], fullRange: Bool = false) {
        self.format = format
        self.width = width
        self.height = height
        self.data = data + Array(repeating: nil, count: 4 - data.count)
        self.strides = strides.map { Int32($0) } + Array(repeating: 0, count: 4 - strides.count)
        self.fullRange = fullRange
    }

    /// The planes of a decoded or allocated frame; `width`/`height` may crop it.
    init(frame: UnsafePointer<AVFrame>, width: Int, height: Int) {
        let f = frame.pointee
        self.init(format: AVPixelFormat(rawValue: f.format), width: width, height: height,
                  data: (0..<4).map { backdrop_frame_plane(frame, Int32($0)) },
                  strides: (0..<4).map { Int(backdrop_frame_linesize(frame, Int32($0))) },
                  fullRange: f.color_range == AVCOL_RANGE_JPEG)
    }

    /// Tight yuv420p planes of `width` x `height`.
    static func yuv420p(_ y: UnsafeMutablePointer<UInt8>, _ u: UnsafeMutablePointer<UInt8>,
                        _ v: UnsafeMutablePointer<UInt8>, width: Int, height: Int) -> PlanePointers {
        let cw = (width + 1) / 2
        return PlanePointers(format: AV_PIX_FMT_YUV420P, width: width, height: height,
                             data: [y, u, v], strides: [width, cw, cw])
    }

    /// Tight packed RGB24 of `width` x `height`.
    static func rgb24(_ pixels: UnsafeMutablePointer<UInt8>, width: Int, height: Int) -> PlanePointers {
        PlanePointers(format: AV_PIX_FMT_RGB24, width: width, height: height,
                      data: [pixels], strides: [width * 3])
    }

    /// Rows in plane `index` (chroma planes of subsampled formats have fewer).
    func rows(inPlane index: Int) -> Int {
        guard index == 1 || index == 2, let descriptor = av_pix_fmt_desc_get(format) else { return height }
        let shift = Int(descriptor.pointee.log2_chroma_h)
        return (height + (1 << shift) - 1) >> shift
    }
}

/// Owns one SwsContext and its output frame, re-created only when sizes, formats or range change.
///
/// swscale writes into an FFmpeg-allocated (aligned, padded) frame and the rows are then copied to
/// the caller's tight buffers: with tight odd strides its SIMD code overruns the last row (seen
/// with valgrind) and its unscaled converters use aligned stores (a crash on nv12 -> yuv420p at
/// chroma stride 165). Copying out 256x144 RGB costs ~10 µs.
final class SwsConverter {
    private struct Key: Equatable {
        var source: Int32, sourceWidth: Int, sourceHeight: Int, fullRange: Bool
        var destination: Int32, destinationWidth: Int, destinationHeight: Int
    }

    private var context: OpaquePointer?
    private var key: Key?
    private let output = Frame()
    let flags: Int32

    init(flags: Int32) {
        self.flags = flags
    }

    deinit {
        sws_freeContext(context)
    }

    /// Converts and/or scales `source` into `destination` (tight planes); both must stay valid
    /// for the call.
    func convert(_ source: PlanePointers, to destination: PlanePointers) throws {
        let context = try prepare(source, destination)
        let sourceData = source.data.map { UnsafePointer($0) }
        let frame = output.pointer
        let strides = (0..<4).map { backdrop_frame_linesize(frame, Int32($0)) }
        let planes = (0..<4).map { backdrop_frame_plane(frame, Int32($0)) }
        let rows = sws_scale(context, sourceData, source.strides, 0, Int32(source.height), planes, strides)
        // Anything else leaves the last picture (or uninitialised memory) in the output frame.
        guard rows > 0 else {
            throw MediaError.ffmpeg(operation: "scaling \(Self.name(source.format)) \(source.width)x\(source.height) to \(Self.name(destination.format)) \(destination.width)x\(destination.height)",
                                    code: rows, message: rows < 0 ? MediaError.message(rows) : "no rows were written")
        }
        for index in 0..<4 {
            guard let target = destination.data[index], let plane = planes[index] else { continue }
            copyPlane(from: plane, stride: Int(strides[index]), to: target, stride: Int(destination.strides[index]),
                      rowBytes: Int(destination.strides[index]), rows: destination.rows(inPlane: index))
        }
    }

    private func prepare(_ source: PlanePointers, _ destination: PlanePointers) throws -> OpaquePointer {
        // swscale wants plain YUV formats plus an explicit range; the yuvj formats are deprecated.
        let (sourceFormat, jpegFormat) = Self.withoutJPEG(source.format)
        let wanted = Key(source: sourceFormat.rawValue, sourceWidth: source.width, sourceHeight: source.height,
                         fullRange: source.fullRange || jpegFormat, destination: destination.format.rawValue,
                         destinationWidth: destination.width, destinationHeight: destination.height)
        if wanted == key, let context { return context }

        sws_freeContext(context)
        key = nil
        context = sws_getContext(Int32(source.width), Int32(source.height), sourceFormat,
                                 Int32(destination.width), Int32(destination.height), destination.format,
                                 flags, nil, nil, nil)
        guard let context else {
            throw MediaError.scalerUnavailable(
                from: "\(Self.name(source.format)) \(source.width)x\(source.height)",
                to: "\(Self.name(destination.format)) \(destination.width)x\(destination.height)")
        }
        if wanted.fullRange { setSourceRange(full: true, context: context) }
        let frame = output.pointer
        av_frame_unref(frame)
        frame.pointee.format = destination.format.rawValue
        frame.pointee.width = Int32(destination.width)
        frame.pointee.height = Int32(destination.height)
        let allocated = av_frame_get_buffer(frame, 0)
        guard allocated >= 0 else { throw MediaError.ffmpeg("allocating a scaled frame", allocated) }
        key = wanted
        return context
    }

    private func setSourceRange(full: Bool, context: OpaquePointer) {
        var inverse: UnsafeMutablePointer<Int32>?
        var table: UnsafeMutablePointer<Int32>?
        var srcRange: Int32 = 0, dstRange: Int32 = 0, brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
        guard sws_getColorspaceDetails(context, &inverse, &srcRange, &table, &dstRange,
                                       &brightness, &contrast, &saturation) >= 0 else { return }
        _ = sws_setColorspaceDetails(context, inverse, full ? 1 : 0, table, dstRange, brightness, contrast, saturation)
    }

    static func withoutJPEG(_ format: AVPixelFormat) -> (AVPixelFormat, Bool) {
        switch format {
        case AV_PIX_FMT_YUVJ420P: return (AV_PIX_FMT_YUV420P, true)
        case AV_PIX_FMT_YUVJ422P: return (AV_PIX_FMT_YUV422P, true)
        case AV_PIX_FMT_YUVJ444P: return (AV_PIX_FMT_YUV444P, true)
        case AV_PIX_FMT_YUVJ440P: return (AV_PIX_FMT_YUV440P, true)
        case AV_PIX_FMT_YUVJ411P: return (AV_PIX_FMT_YUV411P, true)
        default: return (format, false)
        }
    }

    static func name(_ format: AVPixelFormat) -> String {
        av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "pixel format \(format.rawValue)"
    }
}
