import BackdropCore

/// Whatever turns a frame into a person mask of the frame's size. `PersonSegmenter` in
/// production; tests substitute one that fails on chosen frames to check the fail-closed path.
public protocol FrameSegmenter: AnyObject {
    func segment(_ frame: VideoFrame) throws -> Mask
    /// Time spent in each step of the last call.
    var lastTimings: PersonSegmenter.Timings { get }
    /// Forgets temporal state (a new stream, or a camera that came back).
    func reset()
}

