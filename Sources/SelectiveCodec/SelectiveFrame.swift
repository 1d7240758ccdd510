import BackdropCore

/// One picture as a selective receiver reconstructs it.
public struct SelectiveFrame: Sendable {
    /// The decoded H.264 picture (person over padding).
    public var picture: VideoFrame
    /// What to show: the person composited over the synthesized background, or the picture as
    /// decoded when the stream carries no (usable) Backdrop side data yet.
    public var output: VideoFrame
    /// The last good mask at mask resolution, nil before the first.
    public var mask: BinaryMask?
    /// Sequence number of `mask`.
    public var maskSequence: UInt16?
    /// Whether `mask` was decoded from this picture's own message (false: an older one is reused).
    public var maskIsCurrent: Bool
    /// The synthesized background, nil before the first scene keyframe.
    public var background: VideoFrame?
    public var sceneID: UInt16?
    /// Whether `output` is a composite.
    public var composited: Bool
    /// Side-data messages that were refused for this picture.
    public var rejectedMessages: Int
}
