import BackdropCore

/// The plate summarized per label-map cell: how much of the cell was seen and its mean colour,
/// plus a luma plane with the unseen pixels filled from the nearest seen cells (so filters do
/// not see false edges where the plate has holes).
struct CellGrid {
    let width: Int
    let height: Int
    let frameWidth: Int
    let frameHeight: Int
    /// Seen pixels per cell.
    private(set) var seen: [Int]
    /// Pixels per cell.
    private(set) var area: [Int]
    /// Mean Y, U, V of the seen pixels (after filling: of the nearest seen cell).
    private(set) var y: [Double]
    private(set) var u: [Double]
    private(set) var v: [Double]
    /// Plate luma with unseen pixels filled smoothly (bilinearly between cell means), so filters
    /// see no false edges there.
    private(set) var filledLuma: [Float]

    /// A cell counts as seen when at least this fraction of its pixels were.
    static let seenFraction = 0.25

    init(plate: VideoFrame, age: [UInt8], cellSize: Int) {
        frameWidth = plate.width
        frameHeight = plate.height
        width = (plate.width + cellSize - 1) / cellSize
        height = (plate.height + cellSize - 1) / cellSize
        let cells = width * height
        seen = [Int](repeating: 0, count: cells)
        area = seen
        var sy = [Double](repeating: 0, count: cells)
        var su = sy, sv = sy
        let cw = plate.chromaWidth
        for py in 0..<plate.height {
            for px in 0..<plate.width {
                let cell = (py / cellSize) * width + px / cellSize
                area[cell] += 1
                let i = py * plate.width + px
                guard age[i] > 0 else { continue }
                seen[cell] += 1
                sy[cell] += Double(plate.y[i])
                let c = (py / 2) * cw + px / 2
                su[cell] += Double(plate.u[c])
                sv[cell] += Double(plate.v[c])
            }
        }
        let counts = seen
        y = (0..<cells).map { counts[$0] > 0 ? sy[$0] / Double(counts[$0]) : 0 }
        u = (0..<cells).map { counts[$0] > 0 ? su[$0] / Double(counts[$0]) : 128 }
        v = (0..<cells).map { counts[$0] > 0 ? sv[$0] / Double(counts[$0]) : 128 }
        filledLuma = []
        fillUnseenCells()
        var luma = [Float](repeating: 0, count: plate.width * plate.height)
        let (gw, gh, means) = (width, height, y)
        func cellPosition(_ p: Int, _ cells: Int) -> (Int, Int, Float) {
            let g = min(Float(cells - 1), max(0, (Float(p) + 0.5) / Float(cellSize) - 0.5))
            let i0 = Int(g)
            return (i0, min(cells - 1, i0 + 1), g - Float(i0))
        }
        for py in 0..<plate.height {
            let (j0, j1, fy) = cellPosition(py, gh)
            for px in 0..<plate.width {
                let i = py * plate.width + px
                if age[i] > 0 {
                    luma[i] = Float(plate.y[i])
                    continue
                }
                let (i0, i1, fx) = cellPosition(px, gw)
                let top = Float(means[j0 * gw + i0]) * (1 - fx) + Float(means[j0 * gw + i1]) * fx
                let bottom = Float(means[j1 * gw + i0]) * (1 - fx) + Float(means[j1 * gw + i1]) * fx
                luma[i] = top * (1 - fy) + bottom * fy
            }
        }
        filledLuma = luma
    }

    func isKnown(_ cell: Int) -> Bool { Double(seen[cell]) >= Self.seenFraction * Double(area[cell]) }

    /// Whether the cell and the eight around it were (almost) fully seen: texture measured
    /// there is not disturbed by the filled holes.
    func isWellSeen(around cell: Int) -> Bool {
        let (cx, cy) = (cell % width, cell / width)
        for ny in max(0, cy - 1)...min(height - 1, cy + 1) {
            for nx in max(0, cx - 1)...min(width - 1, cx + 1) {
                let c = ny * width + nx
                if Double(seen[c]) < 0.9 * Double(area[c]) { return false }
            }
        }
        return true
    }

    var knownCount: Int { (0..<(width * height)).filter(isKnown).count }

    /// Gives cells with no seen pixel the colour of the nearest cell that has some
    /// (breadth-first, 4-connected), so the filled luma has no holes.
    private mutating func fillUnseenCells() {
        var queue = (0..<(width * height)).filter { seen[$0] > 0 }
        var done = [Bool](repeating: false, count: width * height)
        for c in queue { done[c] = true }
        var head = 0
        while head < queue.count {
            let c = queue[head]
            head += 1
            let (cx, cy) = (c % width, c / width)
            for (nx, ny) in [(cx - 1, cy), (cx + 1, cy), (cx, cy - 1), (cx, cy + 1)]
            where nx >= 0 && ny >= 0 && nx < width && ny < height && !done[ny * width + nx] {
                let n = ny * width + nx
                done[n] = true
                y[n] = y[c]
                u[n] = u[c]
                v[n] = v[c]
                queue.append(n)
            }
        }
    }
}
