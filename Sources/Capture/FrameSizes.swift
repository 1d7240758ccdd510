/// A picture size in pixels.
public struct FrameSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)" }
}

/// The frame sizes a device offers for one pixel format (VIDIOC_ENUM_FRAMESIZES).
public enum FrameSizes: Sendable, Equatable {
    case discrete([FrameSize])
    /// Any size from `minimum` to `maximum` in steps (continuous when the steps are 1).
    case range(minimum: FrameSize, maximum: FrameSize, stepWidth: Int, stepHeight: Int)
    /// The driver does not enumerate sizes; only asking tells.
    case unknown

    /// The offered size nearest to `wanted` (ties go to the larger one); `wanted` itself when unknown.
    public func closest(to wanted: FrameSize) -> FrameSize {
        switch self {
        case let .discrete(sizes):
            return sizes.min { a, b in
                let da = a.distance(to: wanted), db = b.distance(to: wanted)
                return da != db ? da < db : a.width * a.height > b.width * b.height
            } ?? wanted
        case let .range(minimum, maximum, stepWidth, stepHeight):
            func snap(_ value: Int, _ low: Int, _ high: Int, _ step: Int) -> Int {
                let clamped = min(max(value, low), high)
                let step = max(step, 1)
                return low + ((clamped - low) + step / 2) / step * step
            }
            return FrameSize(width: min(snap(wanted.width, minimum.width, maximum.width, stepWidth), maximum.width),
                             height: min(snap(wanted.height, minimum.height, maximum.height, stepHeight), maximum.height))
        case .unknown:
            return wanted
        }
    }
}

extension FrameSize {
    func distance(to other: FrameSize) -> Int { abs(width - other.width) + abs(height - other.height) }
}
