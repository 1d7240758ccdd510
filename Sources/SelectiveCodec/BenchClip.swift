import BackdropCore
import Compositing
import Foundation
import Logging
import Media
import Segmentation

/// A short clip held in memory for the codec benchmark: a file, or a synthetic composition of a
/// person (cut out of a talking-head clip by its own mask) over a lavfi room with webcam-like noise.
public struct BenchClip: Sendable {
    public var name: String
    public var frames: [VideoFrame]
    public var frameRate: Rational
    public var timeBase: Rational
    public var width: Int { frames.first?.width ?? 0 }
    public var height: Int { frames.first?.height ?? 0 }

    public init(name: String, frames: [VideoFrame], frameRate: Rational, timeBase: Rational) {
        self.name = name
        self.frames = frames
        self.frameRate = frameRate
        self.timeBase = timeBase
    }

    /// The first `maxFrames` frames of anything `MediaReader` opens.
    public static func load(_ url: String, name: String? = nil, maxFrames: Int, logger: Logger) throws -> BenchClip {
        let reader = try MediaReader(url: url, logger: logger)
        var frames: [VideoFrame] = []
        while frames.count < maxFrames, let item = try reader.next() {
            if case let .video(frame) = item { frames.append(frame) }
        }
        let base = name ?? URL(fileURLWithPath: url).deletingPathExtension().lastPathComponent
        return BenchClip(name: base, frames: frames, frameRate: reader.frameRate, timeBase: reader.timeBase)
    }

    /// The lavfi rooms of the benchmark: testsrc2 (colour bars, a moving box and a counter) with
    /// temporal noise of strength 12; `moving` keeps it moving, otherwise its first frame is held.
    public static func room(width: Int, height: Int, moving: Bool, rate: Rational) -> String {
        let source = "testsrc2=size=\(width)x\(height):rate=\(rate.numerator)/\(rate.denominator)"
        let hold = moving ? "" : ",trim=end_frame=1,loop=loop=-1:size=1,setpts=N/(\(rate.numerator)/\(rate.denominator))/TB"
        return MediaReader.lavfiPrefix + source + hold + ",noise=alls=12:allf=t"
    }

    /// `person` scaled by `scale` and composited with its soft `masks` (frame-size, from the
    /// segmentation model) over the frames of `room`, centred horizontally on the bottom edge.
    public static func composite(name: String, person: BenchClip, masks: [Mask], scale: Int, room: String,
                                 logger: Logger) throws -> BenchClip {
        let reader = try MediaReader(url: room, logger: logger)
        let scaler = PixelScaler(filter: .bilinear)
        let compositor = Compositor()
        var frames: [VideoFrame] = []
        for (index, (frame, mask)) in zip(person.frames, masks).enumerated() {
            guard let item = try reader.next(), case var .video(background) = item else { break }
            let pw = frame.width * scale, ph = frame.height * scale
            let x0 = ((background.width - pw) / 2) & ~1, y0 = (background.height - ph) & ~1
            guard x0 >= 0, y0 >= 0 else {
                throw SelectiveCodecError.invalidSize(width: pw, height: ph, reason: "the person does not fit the room")
            }
            let big = try scaler.resize(frame, width: pw, height: ph)
            let alpha = MaskResampling.bilinearUpsample(mask, width: pw, height: ph)
            let patch = Self.crop(background, x: x0, y: y0, width: pw, height: ph)
            let blended = compositor.composite(frame: big, alpha: alpha, background: patch)
            Self.paste(blended, into: &background, x: x0, y: y0)
            background.pts = Int64(index)
            background.timeBase = Rational(person.frameRate.denominator, person.frameRate.numerator)
            frames.append(background)
        }
        return BenchClip(name: name, frames: frames, frameRate: person.frameRate,
                         timeBase: Rational(person.frameRate.denominator, person.frameRate.numerator))
    }

    static func crop(_ frame: VideoFrame, x: Int, y: Int, width: Int, height: Int) -> VideoFrame {
        var out = VideoFrame(width: width, height: height, fillY: 0, fillU: 128, fillV: 128)
        for row in 0..<height {
            out.y.replaceSubrange(row * width..<(row + 1) * width, with: frame.y[((y + row) * frame.width + x)...].prefix(width))
        }
        let cw = out.chromaWidth
        for row in 0..<out.chromaHeight {
            let source = (y / 2 + row) * frame.chromaWidth + x / 2
            out.u.replaceSubrange(row * cw..<(row + 1) * cw, with: frame.u[source...].prefix(cw))
            out.v.replaceSubrange(row * cw..<(row + 1) * cw, with: frame.v[source...].prefix(cw))
        }
        return out
    }

    static func paste(_ patch: VideoFrame, into frame: inout VideoFrame, x: Int, y: Int) {
        for row in 0..<patch.height {
            let start = (y + row) * frame.width + x
            frame.y.replaceSubrange(start..<(start + patch.width), with: patch.y[(row * patch.width)...].prefix(patch.width))
        }
        let cw = patch.chromaWidth
        for row in 0..<patch.chromaHeight {
            let start = (y / 2 + row) * frame.chromaWidth + x / 2
            frame.u.replaceSubrange(start..<(start + cw), with: patch.u[(row * cw)...].prefix(cw))
            frame.v.replaceSubrange(start..<(start + cw), with: patch.v[(row * cw)...].prefix(cw))
        }
    }
}
