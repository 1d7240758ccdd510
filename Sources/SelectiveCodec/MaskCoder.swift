/// Lossless coding of binary masks, frame after frame: a context-adaptive binary arithmetic coder
/// whose contexts are the already-coded neighbours in this mask and the co-located neighbourhood
/// in the previous one (docs/bitstream-selective.md, "The arithmetic code").
///
/// One instance per stream and side: the encoder's and the decoder's stay in step as long as the
/// decoder sees every message since the last intra one.
public struct MaskCoder: Sendable {
    /// Sequence number of the last mask coded or decoded; nil before the first (or after a reset).
    public private(set) var lastSequence: UInt16?
    private var previous: BinaryMask?
    private var model = MaskContextModel()

    public init() {}

    /// Forgets the chain: the next mask must be intra.
    public mutating func reset() {
        lastSequence = nil
        previous = nil
    }

    /// Codes `mask`; intra when asked, at the first mask, or when the size changed.
    public mutating func encode(_ mask: BinaryMask, sequence: UInt16, intra requested: Bool) -> MaskMessage {
        let intra = requested || previous == nil || previous!.width != mask.width || previous!.height != mask.height
        if intra { model.reset() }
        var encoder = BinaryArithmeticEncoder(capacity: 256)
        let reference = intra ? nil : previous
        Self.run(width: mask.width, height: mask.height, previous: reference, model: &model) { context, zeros, ones, index in
            let bit = Int(mask.bits[index])
            encoder.encode(bit, p0: MaskContextModel.p0(zeros: UInt32(zeros[context]), ones: UInt32(ones[context])))
            return bit
        }
        previous = mask
        lastSequence = sequence
        return MaskMessage(sequence: sequence, intra: intra, width: mask.width, height: mask.height, code: encoder.finish())
    }

    /// Decodes `message`. On failure the state is left as it was, so the next message that
    /// continues the chain (or the next intra one) still decodes.
    public mutating func decode(_ message: MaskMessage) throws(SideDataError) -> BinaryMask {
        var reference: BinaryMask?
        var (width, height) = (message.width, message.height)
        if !message.intra {
            guard let previous, let last = lastSequence, last &+ 1 == message.sequence else {
                throw .brokenChain(sequence: message.sequence, expected: lastSequence)
            }
            reference = previous
            (width, height) = (previous.width, previous.height)
        }
        guard (1...BinaryMask.maximumSide).contains(width), (1...BinaryMask.maximumSide).contains(height) else {
            throw .outOfRange(field: "mask size", value: max(width, height), allowed: "1...\(BinaryMask.maximumSide) per side")
        }
        var trial = model
        if message.intra { trial.reset() }
        var decoder = BinaryArithmeticDecoder(message.code)
        var bits = [UInt8](repeating: 0, count: width * height)
        bits.withUnsafeMutableBufferPointer { out in
            Self.run(width: width, height: height, previous: reference, model: &trial) { context, zeros, ones, index in
                let bit = decoder.decode(p0: MaskContextModel.p0(zeros: UInt32(zeros[context]), ones: UInt32(ones[context])))
                out[index] = UInt8(bit)
                return bit
            }
        }
        guard decoder.overrun <= 4 else { throw .codeOverrun(bytes: decoder.overrun) }
        let mask = BinaryMask(width: width, height: height, bits: bits)
        model = trial
        previous = mask
        lastSequence = message.sequence
        return mask
    }

    /// Walks the mask in raster order, giving `code` each pixel's context and index; `code`
    /// returns the pixel's bit, which feeds the contexts of later pixels and the model update.
    private static func run(width w: Int, height h: Int, previous: BinaryMask?, model: inout MaskContextModel,
                            _ code: (Int, UnsafeMutablePointer<UInt16>, UnsafeMutablePointer<UInt16>, Int) -> Int) {
        // Zero-padded copies: two columns each side and two rows above for the current mask,
        // one all round for the previous, so no neighbour read needs a bounds check.
        let cw = w + 4
        var current = [UInt8](repeating: 0, count: cw * (h + 2))
        let pw = w + 2
        var past = [UInt8](repeating: 0, count: pw * (h + 2))
        if let previous {
            for y in 0..<h {
                for x in 0..<w { past[(y + 1) * pw + x + 1] = previous.bits[y * w + x] }
            }
        }
        let inter = previous != nil ? 1 << 11 : 0
        model.withCounts { zeros, ones in
            current.withUnsafeMutableBufferPointer { cur in
                past.withUnsafeBufferPointer { past in
                    let c = cur.baseAddress!, p = past.baseAddress!
                    for y in 0..<h {
                        let row = c + (y + 2) * cw + 2
                        let up = row - cw, up2 = row - 2 * cw
                        let prev = p + (y + 1) * pw + 1
                        for x in 0..<w {
                            var context = Int(row[x - 1]) | Int(row[x - 2]) << 1 | Int(up[x - 1]) << 2
                                | Int(up[x]) << 3 | Int(up[x + 1]) << 4 | Int(up2[x]) << 5
                            if inter != 0 {
                                context |= Int(prev[x]) << 6 | Int(prev[x - pw]) << 7 | Int(prev[x + pw]) << 8
                                    | Int(prev[x - 1]) << 9 | Int(prev[x + 1]) << 10 | inter
                            }
                            let bit = code(context, zeros, ones, y * w + x)
                            row[x] = UInt8(bit)
                            MaskContextModel.update(zeros, ones, context: context, bit: bit)
                        }
                    }
                }
            }
        }
    }
}
