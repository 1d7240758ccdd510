import Compositing
import Media

/// What `backdrop process` was asked to do, beyond the input and output.
public struct ProcessOptions: Sendable {
    public var background: BackgroundMode
    /// `landscape`, `portrait` or a path to a `.tflite` file.
    public var model: String
    /// XNNPACK threads; one is the measured-stable default on small machines.
    public var threads: Int
    public var encoder: EncoderOptions
    /// Also write the person mask, as a greyscale video, to this path (for checking edges).
    public var maskOutput: String?

    public init(background: BackgroundMode = .blur(strength: BackgroundMode.defaultBlurStrength),
                model: String = "landscape", threads: Int = 1, encoder: EncoderOptions = EncoderOptions()) {
        self.background = background
        self.model = model
        self.threads = threads
        self.encoder = encoder
    }
}
