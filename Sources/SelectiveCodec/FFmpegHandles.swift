import BackdropCore
import CFFmpeg
import Media

// Owners for FFmpeg objects: each frees its handle in deinit, so a throwing initializer half-way
// through leaks nothing. Never shared across threads.

/// An encoder or decoder context.
final class CodecHandle {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>) throws(SelectiveCodecError) {
        guard let context = avcodec_alloc_context3(codec) else {
            throw .ffmpeg("allocating a codec context", backdrop_averror(ENOMEM))
        }
        pointer = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }
}

/// An AVDictionary of options, freed when done.
struct OptionList {
    var pointer: OpaquePointer?

    mutating func set(_ key: String, _ value: String) {
        av_dict_set(&pointer, key, value, 0)
    }

    mutating func free() {
        av_dict_free(&pointer)
    }
}

