/// Codes a label grid losslessly with the range coder, in raster order, predicting each cell
/// from its left and upper neighbours (docs/bitstream.md §5.2). Typical room maps cost well
/// under 0.1 bit per cell.
struct LabelMapCoder {
    private var same = [UInt16](repeating: RangeEncoder.initialProbability, count: 8)
    private var asAbove = [UInt16](repeating: RangeEncoder.initialProbability, count: 2)
    private var tree = [UInt16](repeating: RangeEncoder.initialProbability, count: 16)
    private let bits: Int

    init(labelCount: Int) {
        var bits = 0
        while (1 << bits) < labelCount { bits += 1 }
        self.bits = bits
    }

    static func encode(_ map: LabelMap, labelCount: Int) -> [UInt8] {
        var coder = LabelMapCoder(labelCount: labelCount)
        var encoder = RangeEncoder()
        let w = map.width
        for y in 0..<map.height {
            for x in 0..<w {
                let label = Int(map.labels[y * w + x])
                let context = Context(map.labels, w, x, y)
                if let prediction = context.prediction {
                    let isSame = label == prediction
                    encoder.encode(!isSame, probability: &coder.same[context.sameIndex])
                    if isSame { continue }
                    if let above = context.alternative {
                        let isAbove = label == above
                        encoder.encode(!isAbove, probability: &coder.asAbove[context.aboveIndex])
                        if isAbove { continue }
                    }
                }
                var node = 1
                for shift in stride(from: coder.bits - 1, through: 0, by: -1) {
                    let bit = (label >> shift) & 1 == 1
                    encoder.encode(bit, probability: &coder.tree[node])
                    node = 2 * node + (bit ? 1 : 0)
                }
            }
        }
        encoder.finish()
        return encoder.bytes
    }

    static func decode(_ bytes: ArraySlice<UInt8>, width: Int, height: Int, labelCount: Int,
                       offset: Int) throws(SceneError) -> LabelMap {
        var coder = LabelMapCoder(labelCount: labelCount)
        var decoder = RangeDecoder(bytes)
        guard decoder.startsCorrectly else { throw .malformed(offset: offset, reason: "label map does not start with 0") }
        var labels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let context = Context(labels, width, x, y)
                var label: Int?
                if let prediction = context.prediction {
                    if !decoder.decode(probability: &coder.same[context.sameIndex]) {
                        label = prediction
                    } else if let above = context.alternative,
                              !decoder.decode(probability: &coder.asAbove[context.aboveIndex]) {
                        label = above
                    }
                }
                if label == nil {
                    var node = 1
                    for _ in 0..<coder.bits {
                        node = 2 * node + (decoder.decode(probability: &coder.tree[node]) ? 1 : 0)
                    }
                    label = node - (1 << coder.bits)
                }
                guard label! < labelCount else {
                    throw .malformed(offset: offset, reason: "label \(label!) at cell (\(x), \(y)) is not below \(labelCount)")
                }
                labels[y * width + x] = UInt8(label!)
            }
            if decoder.overran { throw .malformed(offset: offset, reason: "label map data ends early") }
        }
        return LabelMap(width: width, height: height, labels: labels)
    }

    /// The neighbours of a cell: the prediction is the left label (the upper one on the first
    /// column); the alternative is the upper label when it differs from the prediction.
    private struct Context {
        var prediction: Int?
        var alternative: Int?
        var sameIndex = 0
        var aboveIndex = 0

        init(_ labels: [UInt8], _ w: Int, _ x: Int, _ y: Int) {
            let left = x > 0 ? Int(labels[y * w + x - 1]) : nil
            let up = y > 0 ? Int(labels[(y - 1) * w + x]) : nil
            let upLeft = x > 0 && y > 0 ? Int(labels[(y - 1) * w + x - 1]) : nil
            let upRight = y > 0 && x + 1 < w ? Int(labels[(y - 1) * w + x + 1]) : nil
            guard let prediction = left ?? up else { return }
            self.prediction = prediction
            if let up, up != prediction { alternative = up }
            func agrees(_ neighbour: Int?) -> Int { neighbour == nil || neighbour == prediction ? 1 : 0 }
            sameIndex = agrees(up) | agrees(upLeft) << 1 | agrees(upRight) << 2
            aboveIndex = upRight == up ? 1 : 0
        }
    }
}
