import Foundation
import BackdropCore
import Testing
@testable import SelectiveCodec
import TestSupport

@Suite("Binary arithmetic coder and mask coder")
struct CoderTests {
    @Test("random bits at random probabilities, including the extremes, come back exactly")
    func arithmeticRoundTrip() {
        var random = SplitMix64(seed: 42)
        for trial in 0..<50 {
            let count = random.int(0..<3000)
            var bits: [Int] = [], probabilities: [UInt32] = []
            for _ in 0..<count {
                let p: UInt32 = switch random.int(0..<4) {
                case 0: 1
                case 1: 65535
                default: UInt32(random.int(1..<65536))
                }
                probabilities.append(p)
                // Draw the bit from the stated probability, so the code is also compact.
                bits.append(UInt32(random.int(0..<65536)) < p ? 0 : 1)
            }
            var encoder = BinaryArithmeticEncoder()
            for (bit, p) in zip(bits, probabilities) { encoder.encode(bit, p0: p) }
            let code = encoder.finish()
            var decoder = BinaryArithmeticDecoder(code)
            let decoded = probabilities.map { decoder.decode(p0: $0) }
            #expect(decoded == bits, "trial \(trial): \(count) bits")
            #expect(decoder.overrun <= 4)
        }
    }

    @Test("skewed bits cost about their entropy")
    func arithmeticCompression() {
        var random = SplitMix64(seed: 7)
        let p0: UInt32 = 62259  // P(0) = 0.95
        var encoder = BinaryArithmeticEncoder()
        var entropy = 0.0
        for _ in 0..<20000 {
            let bit = UInt32(random.int(0..<65536)) < p0 ? 0 : 1
            entropy += -log2(bit == 0 ? Double(p0) / 65536 : 1 - Double(p0) / 65536)
            encoder.encode(bit, p0: p0)
        }
        let bits = Double(encoder.finish().count * 8)
        #expect(bits < entropy * 1.02 + 32, "\(bits) bits for \(entropy) bits of information")
    }

    @Test("a moving mask round-trips through intra and inter masks, and inter costs less")
    func maskChain() throws {
        let scene = SyntheticScene(maskWidth: 128, maskHeight: 72)
        var sender = MaskCoder(), receiver = MaskCoder()
        var intraBytes = 0, intraCount = 0, interBytes = 0, interCount = 0
        for index in 0..<40 {
            let mask = scene.mask(index)
            let message = sender.encode(mask, sequence: UInt16(index), intra: index % 20 == 0)
            #expect(message.intra == (index % 20 == 0))
            if message.intra {
                intraBytes += message.code.count
                intraCount += 1
            } else {
                interBytes += message.code.count
                interCount += 1
            }
            // Through the wire format, as a receiver sees it.
            guard case let .message(.mask(parsed)) = try SideDataMessage.parse(SideDataMessage.mask(message).payload()) else {
                Issue.record("mask message did not parse")
                return
            }
            #expect(try receiver.decode(parsed) == mask, "frame \(index)")
        }
        #expect(Double(interBytes) / Double(interCount) < Double(intraBytes) / Double(intraCount))
    }

    @Test("an inter mask that does not continue the chain is refused and leaves the state intact")
    func brokenChain() throws {
        let scene = SyntheticScene()
        var sender = MaskCoder(), receiver = MaskCoder()
        let messages = (0..<6).map { sender.encode(scene.mask($0), sequence: UInt16($0), intra: $0 == 0) }
        _ = try receiver.decode(messages[0])
        _ = try receiver.decode(messages[1])
        #expect(throws: SideDataError.self) { try receiver.decode(messages[3]) }  // 2 was lost
        // A damaged copy of 2 fails too, without touching the state...
        var damaged = messages[2]
        damaged.code = damaged.code.map { $0 ^ 0x5A } + [1, 2, 3, 4, 5, 6, 7]
        if let decoded = try? receiver.decode(damaged) {
            // ...or decodes to garbage, which is what the CRC is for; then the chain is gone.
            #expect(decoded != scene.mask(2))
        } else {
            #expect(try receiver.decode(messages[2]) == scene.mask(2))
            #expect(try receiver.decode(messages[3]) == scene.mask(3))
        }
        // A receiver that joins late cannot start on an inter mask.
        var late = MaskCoder()
        #expect(throws: SideDataError.self) { try late.decode(messages[4]) }
    }

    @Test("a mask of a new size starts an intra mask by itself")
    func sizeChange() throws {
        var sender = MaskCoder(), receiver = MaskCoder()
        let small = SyntheticScene(maskWidth: 32, maskHeight: 18).mask(0)
        let large = SyntheticScene(maskWidth: 64, maskHeight: 36).mask(1)
        _ = try receiver.decode(sender.encode(small, sequence: 0, intra: true))
        let message = sender.encode(large, sequence: 1, intra: false)
        #expect(message.intra)
        #expect(try receiver.decode(message) == large)
    }

    @Test("empty and full masks cost a few bytes")
    func uniformMasks() throws {
        var coder = MaskCoder()
        let empty = BinaryMask(width: 256, height: 144)
        let full = BinaryMask(width: 256, height: 144, bits: [UInt8](repeating: 1, count: 256 * 144))
        #expect(coder.encode(empty, sequence: 0, intra: true).code.count < 40)
        #expect(coder.encode(empty, sequence: 1, intra: false).code.count < 16)
        var encoder = MaskCoder(), decoder = MaskCoder()
        #expect(try decoder.decode(encoder.encode(full, sequence: 9, intra: true)) == full)
    }

    @Test("binarizing with hysteresis holds pixels inside the band and follows those outside it")
    func hysteresis() {
        let values: [Float] = [0.45, 0.55, 0.65, 0.35, 0.5, 0.95]
        let mask = Mask(width: 6, height: 1, values: values)
        let allOn = BinaryMask(width: 6, height: 1, bits: [1, 1, 1, 1, 1, 1])
        let allOff = BinaryMask(width: 6, height: 1)
        #expect(BinaryMask(mask, holding: allOn, band: 0.1).bits == [1, 1, 1, 0, 1, 1])
        #expect(BinaryMask(mask, holding: allOff, band: 0.1).bits == [0, 0, 1, 0, 0, 1])
        // No previous mask, one of another size, or no band: plain binarization at 0.5.
        let plain: [UInt8] = [0, 1, 1, 0, 0, 1]
        #expect(BinaryMask(mask, holding: nil, band: 0.1).bits == plain)
        #expect(BinaryMask(mask, holding: BinaryMask(width: 3, height: 2), band: 0.1).bits == plain)
        #expect(BinaryMask(mask, holding: allOn, band: 0).bits == plain)
    }

    @Test("a mask that wavers around 0.5 costs less with hysteresis, and stays within the band of the truth")
    func hysteresisSavesFlicker() {
        var random = SplitMix64(seed: 3)
        let (w, h) = (64, 36)
        var plainCoder = MaskCoder(), heldCoder = MaskCoder()
        var plainBytes = 0, heldBytes = 0
        var held: BinaryMask?
        for frame in 0..<30 {
            // A still disc whose edge pixels waver by +-0.08 around 0.5 from frame to frame.
            var values = [Float](repeating: 0, count: w * h)
            for y in 0..<h {
                for x in 0..<w {
                    let d = ((Double(x) - 32) * (Double(x) - 32) + (Double(y) - 18) * (Double(y) - 18)).squareRoot()
                    let base: Float = d < 11 ? 1 : (d < 13 ? 0.5 : 0)
                    values[y * w + x] = base == 0.5 ? 0.5 + Float(random.int(-8..<9)) / 100 : base
                }
            }
            let mask = Mask(width: w, height: h, values: values)
            let sequence = UInt16(frame)
            plainBytes += plainCoder.encode(BinaryMask(mask), sequence: sequence, intra: frame == 0).code.count
            let binary = BinaryMask(mask, holding: held, band: 0.1)
            heldBytes += heldCoder.encode(binary, sequence: sequence, intra: frame == 0).code.count
            for i in 0..<values.count where abs(values[i] - 0.5) > 0.1 {
                #expect(binary.bits[i] == (values[i] > 0.5 ? 1 : 0))
            }
            held = binary
        }
        #expect(heldBytes * 3 < plainBytes, "held \(heldBytes) bytes, plain \(plainBytes)")
    }
}
