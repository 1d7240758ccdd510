import BackdropCore
import CFFmpeg
import Media
import Foundation

// Small owners for FFmpeg objects, each freeing its handle in deinit, so a throwing initializer
// half-way through leaks nothing. (Packet and Frame come from Media.)

/// An encoder or decoder context.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>) throws(StreamingError) {
        guard let context = avcodec_alloc_context3(codec) else {
            throw StreamingError.ffmpeg("allocating a codec context", backdrop_averror(ENOMEM))
        }
        pointer = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }
}

/// An options dictionary for one FFmpeg call.
struct OptionDictionary {
    var pointer: OpaquePointer?

    init(_ values: [(String, String)] = []) {
        for (key, value) in values { av_dict_set(&pointer, key, value, 0) }
    }

    mutating func set(_ key: String, _ value: String) { av_dict_set(&pointer, key, value, 0) }

    /// Keys FFmpeg did not consume (a misspelt or unsupported option).
    var leftoverKeys: [String] {
        var keys: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>?
        while true {
            entry = av_dict_get(pointer, "", entry, AV_DICT_IGNORE_SUFFIX)
            guard let current = entry else { return keys }
            keys.append(String(cString: current.pointee.key))
        }
    }

    mutating func free() { av_dict_free(&pointer) }
}

/// A muxer context and the network output it writes to.
final class OutputContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    init(muxer: String, url: String, name: String) throws(StreamingError) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        let status = avformat_alloc_output_context2(&context, nil, muxer, url)
        guard status >= 0, let context else {
            throw .sendFailed(url: name, code: status, message: StreamingError.message(status))
        }
        pointer = context
    }

    deinit {
        closeOutput()
        avformat_free_context(pointer)
    }

    /// Closes the socket, if open; safe to call more than once.
    func closeOutput() {
        if pointer.pointee.pb != nil { avio_closep(&pointer.pointee.pb) }
    }
}
