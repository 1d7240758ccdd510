import BackdropCore
import CFFmpeg

/// What a writer needs to copy an input's audio stream: codec parameters and time base.
///
/// `@unchecked Sendable`: an immutable copy of the parameters, owned and freed here.
public final class AudioStreamParameters: @unchecked Sendable {
    let parameters: UnsafeMutablePointer<AVCodecParameters>
    /// The time base of the packets that will be written with these parameters.
    public let timeBase: Rational

    init?(copying source: UnsafePointer<AVCodecParameters>, timeBase: Rational) {
        guard let copy = avcodec_parameters_alloc() else { return nil }
        guard avcodec_parameters_copy(copy, source) >= 0 else {
            var pointer: UnsafeMutablePointer<AVCodecParameters>? = copy
            avcodec_parameters_free(&pointer)
            return nil
        }
        parameters = copy
        self.timeBase = timeBase
    }

    deinit {
        var pointer: UnsafeMutablePointer<AVCodecParameters>? = parameters
        avcodec_parameters_free(&pointer)
    }

    /// FFmpeg's short codec name, e.g. "aac".
    public var codecName: String { String(cString: avcodec_get_name(parameters.pointee.codec_id)) }
    public var sampleRate: Int { Int(parameters.pointee.sample_rate) }
    public var channelCount: Int { Int(parameters.pointee.ch_layout.nb_channels) }
}
