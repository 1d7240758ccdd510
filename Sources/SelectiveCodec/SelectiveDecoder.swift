import BackdropCore
import Compositing
import Logging
import Segmentation

/// The receiver's state machine (docs/bitstream-selective.md, "The receiver"): parses the
/// Backdrop messages of each decoded picture, keeps the mask chain and the synthesized
/// background, and composites the person over it with soft edges rebuilt by the guided
/// upsampler. Any damaged or hostile message is dropped with a warning and the last good state
/// stays. A stream without Backdrop messages comes out as decoded.
///
/// One instance per stream; not thread-safe (it reuses scratch buffers).
public final class SelectiveDecoder {
    public private(set) var messagesAccepted = 0
    public private(set) var messagesRejected = 0
    /// Whether any Backdrop message has been seen (the stream is a selective one).
    public private(set) var isSelective = false

    private let renderers: SceneRenderers
    private let logger: Logger
    private var coder = MaskCoder()
    private var mask: BinaryMask?
    private var scene: SceneKeyframe?
    private var background: VideoFrame?
    private let upsampler = GuidedUpsampler()
    private var alpha = Mask(width: 2, height: 2)
    private let compositor = Compositor()
    private var warnedVersions = Set<UInt8>()
    private var warnings = 0

    public init(renderers: SceneRenderers = .builtIn(), logger: Logger) {
        self.renderers = renderers
        self.logger = logger
    }

    /// Reconstructs one picture from its SEI user-data-unregistered payloads (any UUID; others are ignored).
    public func decode(picture: VideoFrame, sideData: [[UInt8]]) -> SelectiveFrame {
        var maskIsCurrent = false
        var rejected = 0
        for payload in sideData {
            let parsed: SideDataMessage.Parsed
            do {
                parsed = try SideDataMessage.parse(payload)
            } catch {
                isSelective = true
                rejected += 1
                warn("dropped a damaged side-data message: \(error)")
                continue
            }
            switch parsed {
            case .foreign:
                continue
            case let .unsupported(version, type):
                isSelective = true
                if version != SideDataMessage.version && warnedVersions.insert(version).inserted {
                    logger.warning("side data of version \(version) (this receiver knows \(SideDataMessage.version)); ignoring it")
                } else {
                    logger.debug("ignoring side data of unknown type \(type)")
                }
            case let .message(message):
                isSelective = true
                do {
                    try apply(message, picture: picture, maskIsCurrent: &maskIsCurrent)
                    messagesAccepted += 1
                } catch {
                    rejected += 1
                    warn("dropped a side-data message: \(error)")
                }
            }
        }
        messagesRejected += rejected
        var result = SelectiveFrame(picture: picture, output: picture, mask: mask, maskSequence: mask == nil ? nil : coder.lastSequence,
                                    maskIsCurrent: maskIsCurrent, background: background, sceneID: scene?.sceneID,
                                    composited: false, rejectedMessages: rejected)
        if let mask, let background, background.width == picture.width, background.height == picture.height {
            result.output = composite(picture, mask: mask, background: background)
            result.composited = true
        }
        return result
    }

    private func apply(_ message: SideDataMessage, picture: VideoFrame, maskIsCurrent: inout Bool) throws {
        switch message {
        case let .mask(coded):
            mask = try coder.decode(coded)
            maskIsCurrent = true
        case let .sceneKeyframe(keyframe):
            guard keyframe.frameWidth == picture.width, keyframe.frameHeight == picture.height else {
                throw SideDataError.outOfRange(field: "scene frame size", value: keyframe.frameWidth,
                                               allowed: "the picture's \(picture.width)x\(picture.height)")
            }
            if let scene, scene.format == keyframe.format, scene.description == keyframe.description, background != nil {
                self.scene = keyframe  // same picture; boxes may have changed
                return
            }
            guard let renderer = renderers.byFormat[keyframe.format] else {
                throw SelectiveCodecError.sceneFailed(reason: "unknown scene format \(keyframe.format); keeping the last background")
            }
            let rendered = try renderer.render(keyframe.description, width: picture.width, height: picture.height)
            guard rendered.width == picture.width, rendered.height == picture.height else {
                throw SelectiveCodecError.sceneFailed(reason: "the renderer made \(rendered.width)x\(rendered.height), not \(picture.width)x\(picture.height)")
            }
            background = rendered
            scene = keyframe
        }
    }

    /// Alpha from the mask by the guided upsampler (guided by the decoded luma), 1 in the
    /// preserve boxes; then the person over the background.
    private func composite(_ picture: VideoFrame, mask: BinaryMask, background: VideoFrame) -> VideoFrame {
        upsampler.upsample(mask.probability, luma: picture.y, width: picture.width, height: picture.height, into: &alpha)
        for box in scene?.boxes ?? [] {
            guard let box = box.clipped(width: picture.width, height: picture.height) else { continue }
            for y in box.y..<(box.y + box.height) {
                for x in box.x..<(box.x + box.width) { alpha.values[y * picture.width + x] = 1 }
            }
        }
        var output = compositor.composite(frame: picture, alpha: alpha, background: background)
        output.pts = picture.pts
        output.timeBase = picture.timeBase
        return output
    }

    /// Warnings, at most 20 in full, then every 100th, so a hostile stream cannot flood the log.
    private func warn(_ text: String) {
        warnings += 1
        if warnings <= 20 || warnings % 100 == 0 {
            logger.warning("\(text)\(warnings == 20 ? " (further ones are summarised)" : "")")
        }
    }
}
