/// How the picture outside the preserved region is filled before encoding.
public enum PaddingMode: String, Sendable, CaseIterable, Codable {
    /// The picture as it is (for comparison: only the quantiser offsets, if any, save bits).
    case none
    /// Mid grey, blended in across the weight ramp.
    case flat
    /// A low-pass extrapolation of the preserved region (push-pull), blended in across the ramp.
    case pushPull = "push-pull"
}
