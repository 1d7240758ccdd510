import BackdropCore

/// A background mode resolved to what rendering needs: pixels instead of a file path.
public enum Background: Sendable {
    /// Blur of the frame itself; `strength` as in `BackgroundMode.blur`.
    case blur(strength: Double)
    case color(YUVColor)
    /// A picture already scaled to the frame size; it is reused as-is for every frame.
    case image(VideoFrame)
    /// Synthesized from the room's label map, with a built-in theme's appearance when named.
    case synthesized(theme: String?)

    /// Resolves `mode`; `loadImage` is called only for `.image`, with the mode's path.
    public init(_ mode: BackgroundMode, loadImage: (String) throws -> VideoFrame) rethrows {
        switch mode {
        case .blur(let strength):
            self = .blur(strength: strength)
        case .color(let red, let green, let blue):
            self = .color(YUVColor(red: red, green: green, blue: blue))
        case .image(let path):
            self = .image(try loadImage(path))
        case .synth(let theme):
            self = .synthesized(theme: theme)
        }
    }
}
