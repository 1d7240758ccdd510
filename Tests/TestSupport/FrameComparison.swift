import BackdropCore
import Foundation

/// Peak signal-to-noise ratio of the luma planes in dB (infinity when identical).
public func lumaPSNR(_ a: VideoFrame, _ b: VideoFrame) -> Double {
    precondition(a.width == b.width && a.height == b.height, "frames differ in size")
    let count = a.width * a.height
    let sum = a.y.withUnsafeBufferPointer { x in
        b.y.withUnsafeBufferPointer { y in
            var total = 0
            for i in 0..<count {
                let d = Int(x[i]) - Int(y[i])
                total += d * d
            }
            return total
        }
    }
    return sum == 0 ? .infinity : 10 * log10(255 * 255 * Double(count) / Double(sum))
}

/// Whether two frames have the same size and identical planes.
public func samePixels(_ a: VideoFrame, _ b: VideoFrame) -> Bool {
    a.width == b.width && a.height == b.height && a.y == b.y && a.u == b.u && a.v == b.v
}
