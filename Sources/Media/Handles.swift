import Foundation
import BackdropCore
import CFFmpeg

// Small owners for FFmpeg objects: each frees its handle in deinit, so a throwing initializer
// half-way through setting up a reader or writer leaks nothing.

/// An opened demuxer.
final class InputContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    /// Opens `url` (with `format` forced when given); `name` is what errors show.
    init(url: String, format: UnsafePointer<AVInputFormat>?, options: [String: String] = [:], name: String) throws {
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        var context: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_open_input(&context, url, format, &dictionary)
        guard status >= 0, let context else {
            throw MediaError.openFailed(path: name, message: MediaError.message(status))
        }
        pointer = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&context)
    }

    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> {
        pointer.pointee.streams[Int(index)]!
    }
}

/// A muxer context, with its output file when one has been opened.
final class OutputContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    init(muxer: String, path: String) throws {
        var context: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_alloc_output_context2(&context, nil, muxer, path)
        guard status >= 0, let context else {
            throw MediaError.ffmpeg(operation: "creating a \(muxer) muxer for '\(path)'", code: status,
                                    message: MediaError.message(status))
        }
        pointer = context
    }

    deinit {
        closeFile()
        avformat_free_context(pointer)
    }

    /// Closes the output file, if open; safe to call more than once.
    func closeFile() {
        if pointer.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 { avio_closep(&pointer.pointee.pb) }
    }
}

/// An encoder or decoder context.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>) throws {
        guard let context = avcodec_alloc_context3(codec) else {
            throw MediaError.ffmpeg("allocating a codec context", backdrop_averror(ENOMEM))
        }
        pointer = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }
}

/// A reusable packet (shared by the modules of this package that talk to FFmpeg).
package final class Packet {
    package let pointer: UnsafeMutablePointer<AVPacket> = av_packet_alloc()

    package init() {}

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}

/// A reusable frame (shared by the modules of this package that talk to FFmpeg).
package final class Frame {
    package let pointer: UnsafeMutablePointer<AVFrame> = av_frame_alloc()

    package init() {}

    /// Makes this a writable yuv420p picture holding `picture`, ready for an encoder (which may
    /// still hold the previous one). Returns FFmpeg's status, negative on failure, so each
    /// caller reports it in its own error type.
    package func load(_ picture: VideoFrame) -> Int32 {
        if backdrop_frame_plane(pointer, 0) == nil {
            pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            pointer.pointee.width = Int32(picture.width)
            pointer.pointee.height = Int32(picture.height)
            let allocated = av_frame_get_buffer(pointer, 0)
            guard allocated >= 0 else { return allocated }
        }
        let writable = av_frame_make_writable(pointer)
        guard writable >= 0 else { return writable }
        picture.copy(into: pointer)
        return 0
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }
}
