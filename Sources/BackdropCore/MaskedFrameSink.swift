
/// A sink that wants the original frame and its person mask rather than the composite: the
/// selective stream sends the person and the mask and lets the receiver composite.
///
/// The pipeline hands such a sink the segmentation stage's output (the frame as captured and
/// its mask, ideally the model-size smoothed probability) instead of the compositing stage's
/// output. Fail closed as for other sinks: a frame without a usable mask is not written with
/// the room in it (`write(_:)` with the background-only composite instead).
public protocol MaskedFrameSink: FrameSink {
    /// `mask` is the person probability, at the model's size or the frame's (area-averaged down).
    func write(frame: VideoFrame, mask: Mask) throws
}
