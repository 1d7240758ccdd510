import BackdropCore
import CFFmpeg

/// Turns a decoder's pictures into `VideoFrame`s of one fixed size (the first picture's, cropped
/// to even): limited-range yuv420p at that size is copied as is; any other format, range or size
/// goes through swscale, so a sender that restarts at another resolution does not change what
/// sinks receive. One per decoded stream; not thread-safe (it owns the swscale context).
package final class DecodedPictureConverter {
    package private(set) var width = 0
    package private(set) var height = 0
    /// Whether the last conversion had to rescale a picture of another size.
    package private(set) var rescaled = false
    private let converter = SwsConverter(flags: SWS_BILINEAR)

    package init() {}

    package func videoFrame(from frame: UnsafePointer<AVFrame>, pts: Int64, timeBase: Rational) throws -> VideoFrame {
        let sourceWidth = Int(frame.pointee.width), sourceHeight = Int(frame.pointee.height)
        if width == 0 {
            width = max(2, sourceWidth & ~1)
            height = max(2, sourceHeight & ~1)
        }
        rescaled = (sourceWidth & ~1) != width || (sourceHeight & ~1) != height
        // Same even size: crop the odd column or row away; another size: scale all of it.
        return try VideoFrame(avFrame: frame, sourceWidth: rescaled ? sourceWidth : width,
                              sourceHeight: rescaled ? sourceHeight : height, width: width, height: height,
                              pts: pts, timeBase: timeBase, converter: converter)
    }

    /// The SEI user-data-unregistered payloads the decoder attached to `frame` (UUID first).
    package static func unregisteredSEI(_ frame: UnsafePointer<AVFrame>) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        for i in 0..<Int(frame.pointee.nb_side_data) {
            guard let side = frame.pointee.side_data[i], side.pointee.type == AV_FRAME_DATA_SEI_UNREGISTERED,
                  let data = side.pointee.data else { continue }
            payloads.append(Array(UnsafeBufferPointer(start: data, count: Int(side.pointee.size))))
        }
        return payloads
    }
}
