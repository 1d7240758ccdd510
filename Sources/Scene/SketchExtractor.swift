import Foundation

/// Finds the dominant straight edges of the plate (shelves, blinds, door frames): edge pixels
/// by gradient with non-maximum suppression, a Hough transform voted along each pixel's
/// gradient direction, then the longest well-supported run on each strong line, with the
/// ridge and step contrast measured across it.
struct SketchExtractor {
    var maximumSegments = 24
    /// Gradient (code values per pixel) an edge pixel needs.
    var edgeThreshold: Float = 4

    func extract(luma: [Float], smoothDetail: [Float], age: [UInt8], width: Int, height: Int) -> [SketchSegment] {
        // Lightly smoothed luma: the plate minus its finest starlet band.
        var smooth = luma
        for i in smooth.indices { smooth[i] -= smoothDetail[i] }
        let edges = edgePixels(smooth, age: age, width: width, height: height)
        guard !edges.isEmpty else { return [] }
        let minimumLength = Swift.max(16.0, 0.04 * Double(Swift.min(width, height)))
        let diagonal = Int((Double(width * width + height * height)).squareRoot()) + 1
        let angles = 180, rhoBins = 2 * diagonal + 1
        var votes = [Int32](repeating: 0, count: angles * rhoBins)
        let cosines = (0..<angles).map { cos(Double($0) * .pi / 180) }
        let sines = (0..<angles).map { sin(Double($0) * .pi / 180) }
        func bins(_ e: Edge) -> [(Int, Int)] {
            (-2...2).map { d in
                let a = (e.angle + d + angles) % angles
                let rho = Int((Double(e.x) * cosines[a] + Double(e.y) * sines[a]).rounded()) + diagonal
                return (a, rho)
            }
        }
        for e in edges { for (a, r) in bins(e) { votes[a * rhoBins + r] += 1 } }

        var used = [Bool](repeating: false, count: edges.count)
        var segments: [SketchSegment] = []
        for _ in 0..<(maximumSegments * 8) where segments.count < maximumSegments {
            guard let peak = votes.indices.max(by: { votes[$0] < votes[$1] }), Double(votes[peak]) >= minimumLength else { break }
            let (a, rho) = (peak / rhoBins, peak % rhoBins - diagonal)
            // Edge points on this line with a matching direction, ordered along it.
            var onLine: [(t: Double, index: Int)] = []
            for (i, e) in edges.enumerated() where !used[i] {
                let angleGap = abs(e.angle - a) % angles
                guard Swift.min(angleGap, angles - angleGap) <= 3 else { continue }
                let distance = Double(e.x) * cosines[a] + Double(e.y) * sines[a] - Double(rho)
                if abs(distance) <= 1.5 { onLine.append((-Double(e.x) * sines[a] + Double(e.y) * cosines[a], i)) }
            }
            onLine.sort { $0.t < $1.t }
            let run = longestRun(onLine, gap: 6)
            guard let run, run.upperBound > run.lowerBound,
                  onLine[run.upperBound].t - onLine[run.lowerBound].t >= minimumLength,
                  Double(run.count) >= 0.6 * (onLine[run.upperBound].t - onLine[run.lowerBound].t) else {
                votes[peak] = 0
                continue
            }
            for k in run {
                let i = onLine[k].index
                used[i] = true
                for (b, r) in bins(edges[i]) { votes[b * rhoBins + r] -= 1 }
            }
            let (t0, t1) = (onLine[run.lowerBound].t, onLine[run.upperBound].t)
            let (c, s) = (cosines[a], sines[a])
            // Points on the line: rho * normal + t * direction, direction = (-sin, cos).
            let p0 = (Double(rho) * c - t0 * s, Double(rho) * s + t0 * c)
            let p1 = (Double(rho) * c - t1 * s, Double(rho) * s + t1 * c)
            let (ridge, step) = contrast(smooth, width, height, from: p0, to: p1)
            guard abs(ridge) >= 2 || abs(step) >= 2 else { continue }
            func q(_ value: Double, _ size: Int) -> UInt16 {
                UInt16(Swift.max(0, Swift.min(Double(SketchSegment.coordinateScale),
                                              ((value + 0.5) / Double(size) * Double(SketchSegment.coordinateScale)).rounded())))
            }
            func byte(_ v: Double) -> Int8 { Int8(Swift.max(-127, Swift.min(127, v.rounded()))) }
            segments.append(SketchSegment(x0: q(p0.0, width), y0: q(p0.1, height), x1: q(p1.0, width), y1: q(p1.1, height),
                                          ridge: byte(ridge), step: byte(step)))
        }
        return segments
    }

    private struct Edge {
        var x: Int
        var y: Int
        /// Gradient direction, whole degrees 0..<180 (the line's normal).
        var angle: Int
    }

    /// Pixels whose (Sobel) gradient is above the threshold and a maximum across the edge,
    /// away from the frame border and from unseen plate.
    private func edgePixels(_ image: [Float], age: [UInt8], width: Int, height: Int) -> [Edge] {
        guard width > 4, height > 4 else { return [] }
        var gx = [Float](repeating: 0, count: image.count), gy = gx, magnitude = gx
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let i = y * width + x
                let h = (image[i - width + 1] + 2 * image[i + 1] + image[i + width + 1])
                    - (image[i - width - 1] + 2 * image[i - 1] + image[i + width - 1])
                let v = (image[i + width - 1] + 2 * image[i + width] + image[i + width + 1])
                    - (image[i - width - 1] + 2 * image[i - width] + image[i - width + 1])
                gx[i] = h / 8
                gy[i] = v / 8
                magnitude[i] = (gx[i] * gx[i] + gy[i] * gy[i]).squareRoot()
            }
        }
        var edges: [Edge] = []
        for y in 2..<(height - 2) {
            for x in 2..<(width - 2) {
                let i = y * width + x
                let m = magnitude[i]
                guard m >= edgeThreshold else { continue }
                var seen = true
                for dy in -1...1 { for dx in -1...1 where age[i + dy * width + dx] == 0 { seen = false } }
                guard seen else { continue }
                var degrees = Int((atan2(Double(gy[i]), Double(gx[i])) * 180 / .pi).rounded())
                degrees = ((degrees % 180) + 180) % 180
                // Compare with the two neighbours across the edge (direction rounded to 45°).
                let sector = ((degrees + 22) / 45) % 4
                let step = [1, width + 1, width, width - 1][sector]
                guard m >= magnitude[i - step], m > magnitude[i + step] else { continue }
                edges.append(Edge(x: x, y: y, angle: degrees % 180))
            }
        }
        return edges
    }

    /// The longest stretch of points (indices into `points`) with gaps of at most `gap` pixels.
    private func longestRun(_ points: [(t: Double, index: Int)], gap: Double) -> ClosedRange<Int>? {
        guard !points.isEmpty else { return nil }
        var best = 0...0, start = 0
        for k in 1..<points.count + 1 {
            if k == points.count || points[k].t - points[k - 1].t > gap {
                if k - 1 - start > best.upperBound - best.lowerBound { best = start...(k - 1) }
                start = k
            }
        }
        return best
    }

    /// Median ridge (line brighter than its sides) and step (half of left minus right, looking
    /// from p0 to p1 with y down) along the segment.
    private func contrast(_ image: [Float], _ width: Int, _ height: Int, from p0: (Double, Double),
                          to p1: (Double, Double)) -> (Double, Double) {
        let dx = p1.0 - p0.0, dy = p1.1 - p0.1
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return (0, 0) }
        let (tx, ty) = (dx / length, dy / length)
        let (nx, ny) = (-ty, tx)  // towards the right-hand side
        func sample(_ x: Double, _ y: Double) -> Double {
            let cx = Swift.max(0, Swift.min(Double(width - 1), x)), cy = Swift.max(0, Swift.min(Double(height - 1), y))
            let x0 = Int(cx), y0 = Int(cy)
            let x1 = Swift.min(width - 1, x0 + 1), y1 = Swift.min(height - 1, y0 + 1)
            let fx = cx - Double(x0), fy = cy - Double(y0)
            let top = Double(image[y0 * width + x0]) * (1 - fx) + Double(image[y0 * width + x1]) * fx
            let bottom = Double(image[y1 * width + x0]) * (1 - fx) + Double(image[y1 * width + x1]) * fx
            return top * (1 - fy) + bottom * fy
        }
        var ridges: [Double] = [], steps: [Double] = []
        var t = 1.0
        while t < length - 1 {
            let (x, y) = (p0.0 + t * tx, p0.1 + t * ty)
            func at(_ d: Double) -> Double { sample(x + d * nx, y + d * ny) }
            ridges.append(at(0) - (at(-3) + at(3)) / 2)
            steps.append(((at(-1.5) + at(-2.5)) - (at(1.5) + at(2.5))) / 4)
            t += 1
        }
        func median(_ values: [Double]) -> Double {
            guard !values.isEmpty else { return 0 }
            return values.sorted()[values.count / 2]
        }
        return (median(ridges), median(steps))
    }
}
