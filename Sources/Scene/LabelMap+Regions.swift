extension LabelMap {
    /// The cell of each pixel of a `width` x `height` frame (floor(x * gridWidth / width)).
    public func cellIndex(x: Int, y: Int, frameWidth: Int, frameHeight: Int) -> Int {
        (y * height / frameHeight) * self.width + x * self.width / frameWidth
    }

    /// Each pixel's label where its cell and the eight around it share that label (away from
    /// soft boundaries), else 255: the pixels texture and colour are measured on.
    public func interiorRegions(frameWidth: Int, frameHeight: Int) -> [UInt8] {
        var interior = [Bool](repeating: false, count: labels.count)
        for cy in 0..<height {
            for cx in 0..<width {
                let label = labels[cy * width + cx]
                var same = true
                for dy in -1...1 {
                    for dx in -1...1 {
                        let nx = Swift.min(width - 1, Swift.max(0, cx + dx))
                        let ny = Swift.min(height - 1, Swift.max(0, cy + dy))
                        if labels[ny * width + nx] != label { same = false }
                    }
                }
                interior[cy * width + cx] = same
            }
        }
        var regions = [UInt8](repeating: 255, count: frameWidth * frameHeight)
        var columnCell = [Int](repeating: 0, count: frameWidth)
        for x in 0..<frameWidth { columnCell[x] = x * width / frameWidth }
        for y in 0..<frameHeight {
            let row = (y * height / frameHeight) * width
            for x in 0..<frameWidth {
                let cell = row + columnCell[x]
                if interior[cell] { regions[y * frameWidth + x] = labels[cell] }
            }
        }
        return regions
    }
}
