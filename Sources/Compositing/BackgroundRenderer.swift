import BackdropCore
import Scene

/// Produces, for each frame, the picture that goes behind the person, in the frame's layout.
///
/// The returned frame shares storage with the renderer's cache; nothing is allocated per frame
/// at a steady size as long as the caller lets go of it before the next call.
///
/// Not Sendable: a synthesized background keeps a `SceneSynthesizer`, which belongs to the one
/// thread that renders.
public struct BackgroundRenderer {
    public let background: Background
    private var blur: BackgroundBlur?
    /// The colour fill or the picture, at the size of the last frame.
    private var still: VideoFrame?
    private var synthesizer: SceneSynthesizer?
    private let asynchronousScene: Bool

    /// `asynchronousScene`: a synthesized background analyses the room on a worker thread (a live
    /// stream: no stall when an analysis is due) rather than in line (a file: the same frames on
    /// every run).
    public init(_ background: Background, asynchronousScene: Bool = false) {
        self.background = background
        self.asynchronousScene = asynchronousScene
        if case .blur(let strength) = background { blur = BackgroundBlur(strength: strength) }
    }

    /// The background for `frame`; `alpha` (frame-sized person probability) keeps the person
    /// out of a blurred background, and is ignored by the other kinds.
    public mutating func render(for frame: VideoFrame, alpha: Mask?) -> VideoFrame {
        switch background {
        case .blur:
            return blur!.render(frame, alpha: alpha)
        case .color(let color):
            if still?.width != frame.width || still?.height != frame.height {
                still = VideoFrame(width: frame.width, height: frame.height,
                                   fillY: color.y, fillU: color.u, fillV: color.v)
            }
        case .synthesized(let themeName):
            if synthesizer == nil {
                // The name was checked when the mode was parsed.
                let theme = themeName.flatMap { try? ThemeLibrary.builtIn.theme(named: $0) }
                synthesizer = SceneSynthesizer(options: SceneSynthesizer.Options(theme: theme, seed: 0,
                                                                                  asynchronous: asynchronousScene))
            }
            // Without a mask nothing may enter the plate: count every pixel as person.
            let mask = alpha ?? Mask(width: frame.width, height: frame.height, fill: 1)
            return synthesizer!.background(for: frame, mask: mask)
        case .image(let image):
            if still?.width != frame.width || still?.height != frame.height {
                still = image.width == frame.width && image.height == frame.height
                    ? image : FrameScaler.stretch(image, width: frame.width, height: frame.height)
            }
        }
        var out = still!
        out.pts = frame.pts
        out.timeBase = frame.timeBase
        return out
    }
}
