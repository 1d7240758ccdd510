/// A low-resolution grid of region labels covering the frame, row-major; each cell stands for
/// a (frame width / width) x (frame height / height) block of pixels.
public struct LabelMap: Sendable, Equatable {
    /// At most this many labels in a scene (they fit in 4 bits).
    public static let maximumLabels = 16
    /// The largest grid the format carries, per side and in cells (bounds every allocation).
    public static let maximumSide = 2048
    public static let maximumCells = 1 << 20

    public let width: Int
    public let height: Int
    public var labels: [UInt8]

    public init(width: Int, height: Int, labels: [UInt8]) {
        precondition(width > 0 && height > 0 && labels.count == width * height, "label map size mismatch")
        self.width = width
        self.height = height
        self.labels = labels
    }

    public init(width: Int, height: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, labels: [UInt8](repeating: fill, count: width * height))
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { labels[y * width + x] }
        set { labels[y * width + x] = newValue }
    }

    /// One more than the largest label used.
    public var labelCount: Int { Int(labels.max() ?? 0) + 1 }

    /// Cells per label, indexed by label.
    public func histogram() -> [Int] {
        var counts = [Int](repeating: 0, count: 256)
        for label in labels { counts[Int(label)] += 1 }
        return Array(counts.prefix(labelCount))
    }

    /// The same regions numbered 0, 1, 2, … in the order they first occur in raster order, so
    /// two analyses that find the same regions number them the same; `mapping[old] = new`
    /// (nil for labels not present).
    public func canonicallyNumbered() -> (map: LabelMap, mapping: [Int?]) {
        var mapping = [Int?](repeating: nil, count: 256)
        var next = 0
        var renumbered = labels
        for i in labels.indices {
            let old = Int(labels[i])
            if mapping[old] == nil {
                mapping[old] = next
                next += 1
            }
            renumbered[i] = UInt8(mapping[old]!)
        }
        return (LabelMap(width: width, height: height, labels: renumbered), Array(mapping.prefix(labelCount)))
    }
}
