/// Mask quality metrics against exact ground truth, written to be reused by benchmarks.
enum RefinementMetrics {
    /// Pixels at or above `threshold` with a 4-neighbour below it: the inside of the iso-contour.
    static func boundary(_ values: [Float], width: Int, height: Int, threshold: Float = 0.5) -> [Bool] {
        var edge = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width where values[y * width + x] >= threshold {
                let i = y * width + x
                edge[i] = (x > 0 && values[i - 1] < threshold) || (x + 1 < width && values[i + 1] < threshold)
                    || (y > 0 && values[i - width] < threshold) || (y + 1 < height && values[i + width] < threshold)
            }
        }
        return edge
    }

    /// Exact Euclidean distance from every pixel to the nearest `true` pixel (Felzenszwalb and
    /// Huttenlocher's separable transform); infinity everywhere when there is none.
    static func distanceTransform(_ seeds: [Bool], width: Int, height: Int) -> [Double] {
        let far = 1e20
        var squared = seeds.map { $0 ? 0 : far }
        var line = [Double](repeating: 0, count: max(width, height))
        var result = line
        for x in 0..<width {
            for y in 0..<height { line[y] = squared[y * width + x] }
            lowerEnvelope(line, count: height, into: &result)
            for y in 0..<height { squared[y * width + x] = result[y] }
        }
        for y in 0..<height {
            for x in 0..<width { line[x] = squared[y * width + x] }
            lowerEnvelope(line, count: width, into: &result)
            for x in 0..<width { squared[y * width + x] = result[x] }
        }
        return squared.map { $0 >= far / 2 ? .infinity : $0.squareRoot() }
    }

    /// 1-D squared distance transform of sampled function `f`: min over q of (p - q)^2 + f(q).
    private static func lowerEnvelope(_ f: [Double], count n: Int, into d: inout [Double]) {
        var vertices = [Int](repeating: 0, count: n)
        var bounds = [Double](repeating: 0, count: n + 1)
        var k = 0
        bounds[0] = -.infinity
        bounds[1] = .infinity
        for q in 1..<max(n, 1) {
            var s: Double
            repeat {
                let v = vertices[k]
                s = ((f[q] + Double(q * q)) - (f[v] + Double(v * v))) / Double(2 * (q - v))
                if s <= bounds[k] { k -= 1 } else { break }
            } while k >= 0
            k += 1
            vertices[k] = q
            bounds[k] = s
            bounds[k + 1] = .infinity
        }
        k = 0
        for q in 0..<n {
            while bounds[k + 1] < Double(q) { k += 1 }
            let v = vertices[k]
            d[q] = Double((q - v) * (q - v)) + f[v]
        }
    }

    /// Symmetric mean boundary distance in pixels: the mean, over the 0.5 iso-contour of `mask`,
    /// of the distance to the nearest ground-truth contour pixel, averaged with the same the
    /// other way round (which counts missed strands). Infinity if either contour is empty.
    static func boundaryError(_ mask: [Float], truth: [Float], width: Int, height: Int) -> Double {
        let (maskEdge, truthEdge) = (boundary(mask, width: width, height: height),
                                     boundary(truth, width: width, height: height))
        // Distances between contour pixels are exact inside the box around both contours.
        var (x0, y0, x1, y1) = (width, height, -1, -1)
        for y in 0..<height {
            for x in 0..<width where maskEdge[y * width + x] || truthEdge[y * width + x] {
                (x0, y0, x1, y1) = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
            }
        }
        guard x1 >= 0 else { return .infinity }
        let (boxWidth, boxHeight) = (x1 - x0 + 1, y1 - y0 + 1)
        func crop(_ edge: [Bool]) -> [Bool] {
            (0..<boxWidth * boxHeight).map { edge[(y0 + $0 / boxWidth) * width + x0 + $0 % boxWidth] }
        }
        let (maskBox, truthBox) = (crop(maskEdge), crop(truthEdge))
        let toTruth = distanceTransform(truthBox, width: boxWidth, height: boxHeight)
        let toMask = distanceTransform(maskBox, width: boxWidth, height: boxHeight)
        func meanDistance(over edge: [Bool], _ distance: [Double]) -> Double {
            var (sum, count) = (0.0, 0)
            for i in edge.indices where edge[i] {
                sum += distance[i]
                count += 1
            }
            return count == 0 ? .infinity : sum / Double(count)
        }
        return (meanDistance(over: maskBox, toTruth) + meanDistance(over: truthBox, toMask)) / 2
    }

    /// Halo: the mean mask value over background pixels `near` (3...20 px by default) away
    /// from any ground-truth coverage, where texture leaking into the mask shows.
    static func halo(_ mask: [Float], truth: [Float], width: Int, height: Int,
                     near: ClosedRange<Double> = 3...20) -> Double {
        let distance = distanceTransform(truth.map { $0 > 0 }, width: width, height: height)
        var (sum, count) = (0.0, 0)
        for i in mask.indices where near.contains(distance[i]) {
            sum += Double(mask[i])
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }

    /// Centroid (x, y) in pixels of the region at or above `threshold` (thresholded, so faint
    /// values spread over the background do not pull it towards the middle of the frame).
    static func centroid(_ values: [Float], width: Int, height: Int, threshold: Float = 0.5) -> (x: Double, y: Double) {
        var (count, sx, sy) = (0, 0, 0)
        for y in 0..<height {
            for x in 0..<width where values[y * width + x] >= threshold {
                count += 1
                sx += x
                sy += y
            }
        }
        return count == 0 ? (0, 0) : (Double(sx) / Double(count), Double(sy) / Double(count))
    }

    /// Lag in frames: how far the mask's centroid sits from the truth at frame t, in units of the
    /// truth's own displacement from t - 1 to t (0 = on time, 1 = a whole frame behind).
    static func lagInFrames(mask: [Float], truth: [Float], previousTruth: [Float], width: Int, height: Int) -> Double {
        let m = centroid(mask, width: width, height: height)
        let now = centroid(truth, width: width, height: height)
        let before = centroid(previousTruth, width: width, height: height)
        let step = ((now.x - before.x) * (now.x - before.x) + (now.y - before.y) * (now.y - before.y)).squareRoot()
        let off = ((m.x - now.x) * (m.x - now.x) + (m.y - now.y) * (m.y - now.y)).squareRoot()
        return off / step
    }

    /// Mean absolute difference of two equally sized value arrays.
    static func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
        var sum = 0.0
        for i in a.indices { sum += Double(abs(a[i] - b[i])) }
        return sum / Double(a.count)
    }
}
