/// Deterministic k-means for label analysis: clusters grow one at a time from the mean, each
/// new centre at the candidate farthest from its current centre, until every candidate is
/// within `splitDistance` of its centre or there are `maximumCount` clusters. Candidates are
/// points inside a region (not on a boundary between two), so mixed cells do not seed clusters.
/// A warm start from earlier centres keeps an unchanged room's clusters where they were.
struct Clusterer {
    let maximumCount: Int
    /// Distance (in feature units, ~ΔE) beyond which a candidate deserves its own cluster.
    let splitDistance: Double

    /// Centres for `points` (rows of `dimensions` values) and each point's cluster.
    func cluster(_ points: [Double], dimensions: Int, candidates: [Bool],
                 warmStart: [[Double]]?) -> (centres: [[Double]], assignment: [Int]) {
        let n = points.count / dimensions
        precondition(n > 0, "nothing to cluster")
        var centres: [[Double]]
        if let warmStart, !warmStart.isEmpty, warmStart.allSatisfy({ $0.count == dimensions }) {
            centres = warmStart
        } else {
            var mean = [Double](repeating: 0, count: dimensions)
            for i in 0..<n { for d in 0..<dimensions { mean[d] += points[i * dimensions + d] / Double(n) } }
            centres = [mean]
        }
        var assignment = [Int](repeating: 0, count: n)
        lloyd(points, dimensions, &centres, &assignment)
        while centres.count < maximumCount {
            // The farthest candidate from its centre starts the next cluster.
            var farthest = -1, distance = splitDistance * splitDistance
            for i in 0..<n where candidates[i] {
                let d = squaredDistance(points, i, dimensions, centres[assignment[i]])
                if d > distance { (farthest, distance) = (i, d) }
            }
            guard farthest >= 0 else { break }
            centres.append(Array(points[(farthest * dimensions)..<((farthest + 1) * dimensions)]))
            lloyd(points, dimensions, &centres, &assignment)
        }
        return (centres, assignment)
    }

    /// Lloyd iterations to convergence (at most 30); empty clusters are dropped.
    private func lloyd(_ points: [Double], _ dimensions: Int, _ centres: inout [[Double]], _ assignment: inout [Int]) {
        let n = points.count / dimensions
        for iteration in 0..<30 {
            var changed = false
            for i in 0..<n {
                var best = 0, bestDistance = Double.infinity
                for (c, centre) in centres.enumerated() {
                    let d = squaredDistance(points, i, dimensions, centre)
                    if d < bestDistance { (best, bestDistance) = (c, d) }
                }
                if assignment[i] != best || iteration == 0 { changed = changed || assignment[i] != best }
                assignment[i] = best
            }
            var sums = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: centres.count)
            var counts = [Int](repeating: 0, count: centres.count)
            for i in 0..<n {
                counts[assignment[i]] += 1
                for d in 0..<dimensions { sums[assignment[i]][d] += points[i * dimensions + d] }
            }
            var kept: [[Double]] = []
            var renumber = [Int](repeating: 0, count: centres.count)
            for c in centres.indices where counts[c] > 0 {
                renumber[c] = kept.count
                kept.append(sums[c].map { $0 / Double(counts[c]) })
            }
            if kept.count != centres.count {
                for i in 0..<n { assignment[i] = renumber[assignment[i]] }
                changed = true
            }
            centres = kept
            if !changed && iteration > 0 { break }
        }
    }

    private func squaredDistance(_ points: [Double], _ i: Int, _ dimensions: Int, _ centre: [Double]) -> Double {
        var sum = 0.0
        for d in 0..<dimensions {
            let diff = points[i * dimensions + d] - centre[d]
            sum += diff * diff
        }
        return sum
    }
}
