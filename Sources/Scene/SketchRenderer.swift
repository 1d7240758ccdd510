/// Draws sketch segments into luma: a thin ridge and an edge step across each segment, tapered
/// at its ends (docs/bitstream.md §6.5). Integer only.
enum SketchRenderer {
    /// Distances are in 1/16 pixel; profiles reach 3 px either side of the line.
    static let reach = 48

    /// Q8 weight of the ridge at signed distance d (index d + reach): 1 on the line, 0 at 1.5 px.
    static let ridgeProfile: [Int] = (-reach..<reach).map { d in Swift.max(0, 256 - FixedPoint.divide(abs(d) * 256, 24)) }

    /// Q8 weight of the step: +1 at 1 px on the left (negative distance), -1 at 1 px on the right, 0 at 3 px.
    static let stepProfile: [Int] = (-reach..<reach).map { d in
        let magnitude = abs(d) <= 16 ? FixedPoint.divide(abs(d) * 256, 16) : FixedPoint.divide((reach - abs(d)) * 256, 32)
        return d < 0 ? magnitude : -magnitude
    }

    static func draw(_ segments: [SketchSegment], into luma: inout [UInt8], width: Int, height: Int) {
        for segment in segments {
            draw(segment, into: &luma, width: width, height: height)
        }
    }

    private static func draw(_ segment: SketchSegment, into luma: inout [UInt8], width: Int, height: Int) {
        let scale = SketchSegment.coordinateScale
        let x0 = FixedPoint.divide(Int(segment.x0) * width * 16, scale)
        let y0 = FixedPoint.divide(Int(segment.y0) * height * 16, scale)
        let dx = FixedPoint.divide(Int(segment.x1) * width * 16, scale) - x0
        let dy = FixedPoint.divide(Int(segment.y1) * height * 16, scale) - y0
        let length = FixedPoint.squareRoot(dx * dx + dy * dy)
        guard length >= 16, segment.ridge != 0 || segment.step != 0 else { return }
        let (tx, ty) = (FixedPoint.divide(dx * 4096, length), FixedPoint.divide(dy * 4096, length))
        let (nx, ny) = (-ty, tx)
        let (ridge, step) = (Int(segment.ridge), Int(segment.step))

        func paint(_ px: Int, _ py: Int) {
            let rx = 16 * px + 8 - x0, ry = 16 * py + 8 - y0
            let distance = (rx * nx + ry * ny) >> 12
            guard distance > -reach, distance < reach else { return }
            let along = (rx * tx + ry * ty) >> 12
            // 2 px taper beyond each end.
            let taper = FixedPoint.clamp(Swift.min(along + 32, length + 32 - along), 0, 32)
            guard taper > 0 else { return }
            let delta = (ridge * ridgeProfile[distance + reach] + step * stepProfile[distance + reach]) * taper
            let index = py * width + px
            let value = Int(luma[index]) + FixedPoint.shift(delta, 13)
            luma[index] = UInt8(FixedPoint.clamp(value, 0, 255))
        }

        // Walk the major axis; on each line of it, cover the pixels within reach of the segment.
        let margin = 4
        if abs(dx) >= abs(dy) {
            let span = FixedPoint.divide(52 * length, abs(dx)) / 16 + 1
            let start = Swift.max(0, (Swift.min(x0, x0 + dx) >> 4) - margin)
            let end = Swift.min(width - 1, (Swift.max(x0, x0 + dx) >> 4) + margin)
            guard start <= end else { return }
            for px in start...end {
                let centre = (y0 + FixedPoint.divideSigned((16 * px + 8 - x0) * dy, dx)) >> 4
                let (low, high) = (Swift.max(0, centre - span), Swift.min(height - 1, centre + span))
                if low <= high { for py in low...high { paint(px, py) } }
            }
        } else {
            let span = FixedPoint.divide(52 * length, abs(dy)) / 16 + 1
            let start = Swift.max(0, (Swift.min(y0, y0 + dy) >> 4) - margin)
            let end = Swift.min(height - 1, (Swift.max(y0, y0 + dy) >> 4) + margin)
            guard start <= end else { return }
            for py in start...end {
                let centre = (x0 + FixedPoint.divideSigned((16 * py + 8 - y0) * dx, dy)) >> 4
                let (low, high) = (Swift.max(0, centre - span), Swift.min(width - 1, centre + span))
                if low <= high { for px in low...high { paint(px, py) } }
            }
        }
    }
}
