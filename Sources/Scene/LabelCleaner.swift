/// Removes speckle from a raw cluster map: unknown cells take the label of the nearest known
/// cell, a 3x3 majority filter smooths ragged edges, and regions smaller than `minimumCells`
/// merge into the neighbour they share most border with. Labels are then numbered in raster
/// order of first occurrence, so the same regions get the same numbers.
struct LabelCleaner {
    let minimumCells: Int

    /// `labels[i]` is a cluster, or nil for a cell never seen.
    func clean(_ labels: [Int?], width: Int, height: Int) -> LabelMap {
        var map = fillUnknown(labels, width: width, height: height)
        map = majority(map, width: width, height: height)
        for _ in 0..<8 {
            guard mergeSmallRegions(&map, width: width, height: height) else { break }
        }
        return LabelMap(width: width, height: height, labels: map.map { UInt8($0) }).canonicallyNumbered().map
    }

    private func fillUnknown(_ labels: [Int?], width: Int, height: Int) -> [Int] {
        var result = labels.map { $0 ?? -1 }
        var queue = result.indices.filter { result[$0] >= 0 }
        var head = 0
        while head < queue.count {
            let c = queue[head]
            head += 1
            for n in neighbours(c, width, height) where result[n] < 0 {
                result[n] = result[c]
                queue.append(n)
            }
        }
        return result.map { Swift.max(0, $0) }
    }

    /// Each cell takes the label held by at least 5 of the 9 cells around it, if any.
    private func majority(_ map: [Int], width: Int, height: Int) -> [Int] {
        var result = map
        var counts = [Int](repeating: 0, count: 256)
        for y in 0..<height {
            for x in 0..<width {
                var seen: [Int] = []
                for dy in -1...1 {
                    for dx in -1...1 {
                        let (nx, ny) = (x + dx, y + dy)
                        guard nx >= 0, ny >= 0, nx < width, ny < height else { continue }
                        let label = map[ny * width + nx]
                        if counts[label] == 0 { seen.append(label) }
                        counts[label] += 1
                    }
                }
                for label in seen {
                    if counts[label] >= 5 { result[y * width + x] = label }
                    counts[label] = 0
                }
            }
        }
        return result
    }

    /// Merges every 4-connected region below `minimumCells` into its most-bordering neighbour
    /// label; true when something changed.
    private func mergeSmallRegions(_ map: inout [Int], width: Int, height: Int) -> Bool {
        var region = [Int](repeating: -1, count: map.count)
        var changed = false
        for start in map.indices where region[start] < 0 {
            var members = [start]
            region[start] = start
            var head = 0
            var border: [Int: Int] = [:]
            while head < members.count {
                let c = members[head]
                head += 1
                for n in neighbours(c, width, height) {
                    if map[n] == map[start] {
                        if region[n] < 0 {
                            region[n] = start
                            members.append(n)
                        }
                    } else {
                        border[map[n], default: 0] += 1
                    }
                }
            }
            guard members.count < minimumCells, !border.isEmpty else { continue }
            // Ties go to the lower label so the result does not depend on dictionary order.
            let target = border.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
            for c in members { map[c] = target }
            changed = true
        }
        return changed
    }

    private func neighbours(_ c: Int, _ width: Int, _ height: Int) -> [Int] {
        let (x, y) = (c % width, c / width)
        var result: [Int] = []
        if x > 0 { result.append(c - 1) }
        if x + 1 < width { result.append(c + 1) }
        if y > 0 { result.append(c - width) }
        if y + 1 < height { result.append(c + width) }
        return result
    }
}
