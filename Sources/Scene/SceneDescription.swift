/// How much of the room a description carries: L0 labels and appearance, L1 adds the sketch,
/// L2 adds a thumbnail of the plate (coarse room detail, opt-in).
public enum SceneLevel: Int, Sendable, Comparable, CaseIterable {
    case l0 = 0, l1 = 1, l2 = 2

    public static func < (lhs: SceneLevel, rhs: SceneLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Everything a receiver needs to synthesize the background: what `SceneEncoder` serializes.
public struct SceneDescription: Sendable, Equatable {
    public static let maximumFrameSide = 8192
    public static let maximumSketchSegments = 64

    public var frameWidth: Int
    public var frameHeight: Int
    /// Seeds the synthesizer's generator: the same description and seed give the same pixels.
    public var seed: UInt32
    public var level: SceneLevel
    public var labels: LabelMap
    /// One per label; `labels` uses only 0..<appearances.count.
    public var appearances: [LabelAppearance]
    public var sketch: [SketchSegment]
    public var thumbnail: PlateThumbnail?

    public init(frameWidth: Int, frameHeight: Int, seed: UInt32 = 0, labels: LabelMap,
                appearances: [LabelAppearance], sketch: [SketchSegment] = [], thumbnail: PlateThumbnail? = nil) {
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.seed = seed
        self.labels = labels
        self.appearances = appearances
        self.sketch = sketch
        self.thumbnail = thumbnail
        level = thumbnail != nil ? .l2 : (sketch.isEmpty ? .l0 : .l1)
    }

    /// The same scene carrying at most `level`: the sketch and thumbnail dropped as needed.
    public func limited(to level: SceneLevel) -> SceneDescription {
        var copy = self
        if level < .l2 { copy.thumbnail = nil }
        if level < .l1 { copy.sketch = [] }
        copy.level = Swift.min(self.level, level)
        return copy
    }

    /// Throws unless every count, size and label is within the format's limits.
    public func validate() throws(SceneError) {
        guard (1...Self.maximumFrameSide).contains(frameWidth), (1...Self.maximumFrameSide).contains(frameHeight) else {
            throw .invalidSize(what: "frame", width: frameWidth, height: frameHeight,
                               limit: "1...\(Self.maximumFrameSide) per side")
        }
        guard labels.width <= LabelMap.maximumSide, labels.height <= LabelMap.maximumSide,
              labels.width * labels.height <= LabelMap.maximumCells else {
            throw .invalidSize(what: "label map", width: labels.width, height: labels.height,
                               limit: "\(LabelMap.maximumSide) per side and \(LabelMap.maximumCells) cells")
        }
        guard (1...LabelMap.maximumLabels).contains(appearances.count) else {
            throw .invalidValue(what: "appearance count", value: "\(appearances.count)",
                                expected: "1...\(LabelMap.maximumLabels)")
        }
        guard labels.labelCount <= appearances.count else {
            throw .invalidValue(what: "label", value: "\(labels.labelCount - 1)",
                                expected: "below the appearance count \(appearances.count)")
        }
        // What a level does not carry must not be drawn: the receiver would not have it.
        guard sketch.isEmpty || level >= .l1 else {
            throw .invalidValue(what: "level", value: "L\(level.rawValue)", expected: "L1 or L2 for a description with a sketch")
        }
        guard thumbnail == nil || level == .l2 else {
            throw .invalidValue(what: "level", value: "L\(level.rawValue)", expected: "L2 for a description with a thumbnail")
        }
        guard sketch.count <= Self.maximumSketchSegments else {
            throw .invalidValue(what: "sketch segment count", value: "\(sketch.count)",
                                expected: "0...\(Self.maximumSketchSegments)")
        }
    }
}
