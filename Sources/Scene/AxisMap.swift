/// Where each output pixel falls between cell centres along one axis: the two cells and the
/// weight (Q8) of the second (docs/bitstream.md §6.4).
struct AxisMap {
    let first: [Int32]
    let second: [Int32]
    let fraction: [Int32]

    init(outputSize: Int, cells: Int) {
        var first = [Int32](repeating: 0, count: outputSize)
        var second = first, fraction = first
        for x in 0..<outputSize {
            let position = FixedPoint.clamp((2 * x + 1) * cells * 65536 / (2 * outputSize) - 32768,
                                            0, (cells - 1) * 65536)
            let i0 = position >> 16
            first[x] = Int32(i0)
            second[x] = Int32(Swift.min(i0 + 1, cells - 1))
            fraction[x] = Int32((position >> 8) & 255)
        }
        self.first = first
        self.second = second
        self.fraction = fraction
    }
}
