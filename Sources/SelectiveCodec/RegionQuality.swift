import Foundation

import BackdropCore

/// Picture quality inside a region (the person, by a reference mask that does not come from the
/// codec): luma PSNR and SSIM, so a codec cannot win by degrading what is outside it, nor by
/// shrinking the person.
public enum RegionQuality {
    /// Luma PSNR in dB over the pixels where `region` is non-zero (frame-size bytes); 100 when
    /// identical, nil when the region is empty.
    public static func psnr(reference: VideoFrame, test: VideoFrame, region: [UInt8]) -> Double? {
        precondition(reference.width == test.width && reference.height == test.height, "pictures differ in size")
        precondition(region.count == reference.y.count, "region is not frame-sized")
        var sum = 0, count = 0
        reference.y.withUnsafeBufferPointer { a in
            test.y.withUnsafeBufferPointer { b in
                region.withUnsafeBufferPointer { r in
                    for i in 0..<r.count where r[i] != 0 {
                        let d = Int(a[i]) - Int(b[i])
                        sum += d * d
                        count += 1
                    }
                }
            }
        }
        guard count > 0 else { return nil }
        guard sum > 0 else { return 100 }
        let mse = Double(sum) / Double(count)
        return 10 * log10(255 * 255 / mse)
    }

    /// Mean luma SSIM (Wang et al. 2004, K1 0.01, K2 0.03) over the pixels where `region` is
    /// non-zero, each pixel's SSIM from the 7x7 window centred on it (uniform weights, clipped
    /// at the borders), as scikit-image computes it by default; nil when the region is empty.
    public static func ssim(reference: VideoFrame, test: VideoFrame, region: [UInt8]) -> Double? {
        precondition(reference.width == test.width && reference.height == test.height, "pictures differ in size")
        let w = reference.width, h = reference.height
        // Integral images of x, y, x², y², xy with a zero first row and column.
        let iw = w + 1
        var sx = [Double](repeating: 0, count: iw * (h + 1))
        var sy = sx, sxx = sx, syy = sx, sxy = sx
        for y in 0..<h {
            var rx = 0.0, ry = 0.0, rxx = 0.0, ryy = 0.0, rxy = 0.0
            for x in 0..<w {
                let a = Double(reference.y[y * w + x]), b = Double(test.y[y * w + x])
                rx += a; ry += b; rxx += a * a; ryy += b * b; rxy += a * b
                let k = (y + 1) * iw + x + 1, up = y * iw + x + 1
                sx[k] = sx[up] + rx; sy[k] = sy[up] + ry
                sxx[k] = sxx[up] + rxx; syy[k] = syy[up] + ryy; sxy[k] = sxy[up] + rxy
            }
        }
        let c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255)
        var total = 0.0, count = 0
        for y in 0..<h {
            let y0 = max(0, y - 3), y1 = min(h, y + 4)
            for x in 0..<w where region[y * w + x] != 0 {
                let x0 = max(0, x - 3), x1 = min(w, x + 4)
                let n = Double((x1 - x0) * (y1 - y0))
                func box(_ s: [Double]) -> Double { s[y1 * iw + x1] - s[y0 * iw + x1] - s[y1 * iw + x0] + s[y0 * iw + x0] }
                let mx = box(sx) / n, my = box(sy) / n
                // Sample (co)variances, as scikit-image's default.
                let scale = n > 1 ? n / (n - 1) : 1
                let vx = (box(sxx) / n - mx * mx) * scale, vy = (box(syy) / n - my * my) * scale
                let cxy = (box(sxy) / n - mx * my) * scale
                total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
                count += 1
            }
        }
        return count > 0 ? total / Double(count) : nil
    }

    /// A probability mask as a region: 1 where above 0.5.
    public static func region(_ mask: Mask) -> [UInt8] {
        mask.values.map { $0 > 0.5 ? 1 : 0 }
    }

    /// Intersection over union of two regions (1 when both are empty).
    public static func intersectionOverUnion(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count, "regions differ in size")
        var intersection = 0, union = 0
        for i in 0..<a.count {
            let p = a[i] != 0, q = b[i] != 0
            if p && q { intersection += 1 }
            if p || q { union += 1 }
        }
        return union == 0 ? 1 : Double(intersection) / Double(union)
    }
}
