/// Bilinear taps along one axis (half-pixel centres, clamped), for the first `count`
/// destination indices: lower and upper source index and the upper one's weight.
struct Taps {
    var low: [Int]
    var high: [Int]
    var fraction: [Float]

    init(source: Int, destination: Int, count: Int) {
        low = [Int](repeating: 0, count: count)
        high = low
        fraction = [Float](repeating: 0, count: count)
        let scale = Double(source) / Double(destination)
        for d in 0..<count {
            let s = (Double(d) + 0.5) * scale - 0.5
            if s <= 0 {
                (low[d], high[d]) = (0, 0)
            } else if s >= Double(source - 1) {
                (low[d], high[d]) = (source - 1, source - 1)
            } else {
                let i = Int(s)
                (low[d], high[d], fraction[d]) = (i, i + 1, Float(s - Double(i)))
            }
        }
    }

    func withPointers<R>(_ body: (UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Float>) -> R) -> R {
        low.withUnsafeBufferPointer { l in
            high.withUnsafeBufferPointer { h in
                fraction.withUnsafeBufferPointer { f in body(l.baseAddress!, h.baseAddress!, f.baseAddress!) }
            }
        }
    }
}
