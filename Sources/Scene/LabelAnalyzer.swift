import BackdropCore
import Foundation

/// Turns a background plate into a scene description: a label map at ~1/8 of the frame of at
/// most 16 regions of similar colour and texture, each label's appearance, and at higher levels
/// the sketch and a thumbnail. Keeps the last clusters so that analysing an unchanged room
/// again finds the same regions with the same numbers.
public final class LabelAnalyzer {
    /// What the analysis looks for.
    public struct Options: Sendable {
        /// Frame pixels per label-map cell along each axis.
        public var cellSize = 8
        /// At most this many clusters (the format allows 16).
        public var maximumLabels = 12
        /// Colour/texture distance (~ΔE) from its cluster beyond which a region gets its own.
        public var splitDistance = 9.0
        /// Weight of L* against a*, b* (lighting varies L* within one surface).
        public var lightnessWeight = 0.6
        /// Weight of log2(1 + band energy) in the cluster features.
        public var textureWeight = 2.5
        /// Regions smaller than this fraction of the map (or 4 cells) merge into a neighbour.
        public var minimumRegionFraction = 0.003
        public var level = SceneLevel.l0
        public var seed: UInt32 = 0
        /// Less of the frame seen than this and there is nothing to analyse.
        public var minimumCoverage = 0.02

        public init() {}
    }

    public var options: Options
    private var centres: [[Double]]?

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Forgets the previous clusters (the room changed).
    public func forget() {
        centres = nil
    }

    public func analyze(_ plate: BackgroundPlate) throws(SceneError) -> SceneDescription {
        try analyze(plate: plate.image(), age: plate.age)
    }

    /// Analyses `plate`, of which only pixels with `age > 0` were seen.
    public func analyze(plate: VideoFrame, age: [UInt8]) throws(SceneError) -> SceneDescription {
        precondition(age.count == plate.width * plate.height, "age size mismatch")
        let seenPixels = age.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        let coverage = Double(seenPixels) / Double(age.count)
        let grid = CellGrid(plate: plate, age: age, cellSize: options.cellSize)
        guard coverage >= options.minimumCoverage, grid.knownCount > 0 else { throw .emptyPlate(coverage: coverage) }
        let bands = StarletBands(luma: grid.filledLuma, width: plate.width, height: plate.height)

        let labels = clusterCells(grid: grid, bands: bands)
        let appearances = AppearanceEstimator().estimate(grid: grid, labels: labels, bands: bands, age: age)
        var scene = SceneDescription(frameWidth: plate.width, frameHeight: plate.height, seed: options.seed,
                                     labels: labels, appearances: appearances)
        if options.level >= .l1 {
            scene.sketch = SketchExtractor().extract(luma: grid.filledLuma, smoothDetail: bands.bands[0], age: age,
                                                     width: plate.width, height: plate.height)
            scene.level = .l1
        }
        if options.level >= .l2 {
            scene.thumbnail = Self.thumbnail(of: plate, grid: grid)
            scene.level = .l2
        }
        return scene
    }

    private func clusterCells(grid: CellGrid, bands: StarletBands) -> LabelMap {
        let cellEnergy = Self.cellEnergies(bands, grid: grid)
        let dimensions = 6
        var points: [Double] = []
        var known: [Int] = []
        for c in 0..<(grid.width * grid.height) where grid.isKnown(c) {
            let lab = ColorSpace.lab(y: grid.y[c], u: grid.u[c], v: grid.v[c])
            points += [options.lightnessWeight * lab.l, lab.a, lab.b]
            for k in 0..<3 { points.append(options.textureWeight * log2(1 + cellEnergy[3 * c + k])) }
            known.append(c)
        }
        let clusterer = Clusterer(maximumCount: min(options.maximumLabels, LabelMap.maximumLabels),
                                  splitDistance: options.splitDistance)
        let candidates = Self.interiorCells(points, dimensions: dimensions, cells: known, grid: grid,
                                            limit: options.splitDistance / 2)
        let result = clusterer.cluster(points, dimensions: dimensions, candidates: candidates, warmStart: centres)
        centres = result.centres
        var raw = [Int?](repeating: nil, count: grid.width * grid.height)
        for (k, c) in known.enumerated() { raw[c] = result.assignment[k] }
        let minimum = max(4, Int(options.minimumRegionFraction * Double(grid.width * grid.height)))
        return LabelCleaner(minimumCells: minimum).clean(raw, width: grid.width, height: grid.height)
    }

    /// Known cells whose features are within `limit` of every known 4-neighbour's: inside a
    /// region, not astride a boundary.
    static func interiorCells(_ points: [Double], dimensions: Int, cells: [Int], grid: CellGrid, limit: Double) -> [Bool] {
        var row = [Int](repeating: -1, count: grid.width * grid.height)
        for (k, c) in cells.enumerated() { row[c] = k }
        return cells.enumerated().map { k, c in
            let (x, y) = (c % grid.width, c / grid.width)
            for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
            where nx >= 0 && ny >= 0 && nx < grid.width && ny < grid.height {
                let other = row[ny * grid.width + nx]
                guard other >= 0 else { continue }
                var sum = 0.0
                for d in 0..<dimensions {
                    let diff = points[k * dimensions + d] - points[other * dimensions + d]
                    sum += diff * diff
                }
                if sum > limit * limit { return false }
            }
            return true
        }
    }

    /// RMS of each starlet band per cell, `[3 * cell + band]`.
    static func cellEnergies(_ bands: StarletBands, grid: CellGrid) -> [Double] {
        var sums = [Double](repeating: 0, count: 3 * grid.width * grid.height)
        let cellSize = (grid.frameWidth + grid.width - 1) / grid.width
        for py in 0..<grid.frameHeight {
            for px in 0..<grid.frameWidth {
                let i = py * grid.frameWidth + px
                let cell = (py / cellSize) * grid.width + px / cellSize
                for k in 0..<3 {
                    let value = Double(bands.bands[k][i])
                    sums[3 * cell + k] += value * value
                }
            }
        }
        return sums.enumerated().map { index, sum in (sum / Double(max(1, grid.area[index / 3]))).squareRoot() }
    }

    /// The plate area-averaged to about 1/40 of the frame (at most 64 a side), unseen areas
    /// taken from the nearest seen cells.
    static func thumbnail(of plate: VideoFrame, grid: CellGrid) -> PlateThumbnail {
        let side = PlateThumbnail.maximumSide
        let tw = max(1, min(side, (plate.width + 20) / 40)), th = max(1, min(side, (plate.height + 20) / 40))
        var ys = [UInt8](), us = [UInt8](), vs = [UInt8]()
        for tj in 0..<th {
            for ti in 0..<tw {
                let (j0, j1) = (tj * grid.height / th, max(tj * grid.height / th + 1, (tj + 1) * grid.height / th))
                let (i0, i1) = (ti * grid.width / tw, max(ti * grid.width / tw + 1, (ti + 1) * grid.width / tw))
                var sum = (0.0, 0.0, 0.0), weight = 0.0
                for j in j0..<j1 {
                    for i in i0..<i1 {
                        let c = j * grid.width + i
                        let w = Double(max(1, grid.area[c]))
                        sum = (sum.0 + w * grid.y[c], sum.1 + w * grid.u[c], sum.2 + w * grid.v[c])
                        weight += w
                    }
                }
                func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, (v / weight).rounded()))) }
                ys.append(byte(sum.0))
                us.append(byte(sum.1))
                vs.append(byte(sum.2))
            }
        }
        return PlateThumbnail(width: tw, height: th, y: ys, u: us, v: vs)
    }
}
