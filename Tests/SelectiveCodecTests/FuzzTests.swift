import BackdropCore
import Testing
@testable import SelectiveCodec
import TestSupport

/// Hostile and damaged input for the side-data parser, the arithmetic/mask decoder and the
/// receiver as a whole, a fixed number of seeded iterations each: an error or a valid result,
/// never a crash, a hang or an allocation beyond the format's limits.
@Suite("Fuzzing the side-data parser and the mask decoder")
struct FuzzTests {
    static func validPayloads() -> [[UInt8]] {
        let scene = SyntheticScene()
        var coder = MaskCoder()
        var payloads = (0..<4).map { SideDataMessage.mask(coder.encode(scene.mask($0), sequence: UInt16($0), intra: $0 == 0)).payload() }
        payloads.append(SideDataMessage.sceneKeyframe(SceneKeyframe(sceneID: 1, frameWidth: 160, frameHeight: 96,
                                                                    boxes: [PreserveBox(x: 0, y: 0, width: 8, height: 8)],
                                                                    format: 0, description: [90, 120, 130])).payload())
        return payloads
    }

    static func mutate(_ payload: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = payload
        switch random.int(0..<6) {
        case 0:  // flip bits
            for _ in 0..<random.int(1..<6) where !bytes.isEmpty { bytes[random.int(0..<bytes.count)] ^= UInt8(1 << random.int(0..<8)) }
        case 1:  // truncate
            bytes = Array(bytes.prefix(random.int(0..<(bytes.count + 1))))
        case 2:  // overwrite a run after the UUID with random bytes
            let start = random.int(16..<max(17, bytes.count))
            for i in start..<min(bytes.count, start + random.int(1..<12)) { bytes[i] = random.byte() }
        case 3:  // append garbage
            bytes += (0..<random.int(1..<64)).map { _ in random.byte() }
        case 4:  // extreme values in the header fields
            for i in 16..<min(bytes.count, 16 + random.int(2..<12)) { bytes[i] = random.int(0..<2) == 0 ? 0xFF : 0 }
        default:  // the UUID and random rest
            bytes = SideDataMessage.uuid + (0..<random.int(0..<300)).map { _ in random.byte() }
        }
        return bytes
    }

    @Test("the parser on 20000 mutated payloads")
    func parser() {
        var random = SplitMix64(seed: 0xF00D)
        let valid = Self.validPayloads()
        var accepted = 0, refused = 0
        for _ in 0..<20000 {
            let payload = Self.mutate(valid[random.int(0..<valid.count)], &random)
            do {
                if case let .message(message) = try SideDataMessage.parse(payload) {
                    accepted += 1
                    // Whatever is accepted is within the format's limits and serializes back the same.
                    if case let .sceneKeyframe(keyframe) = message {
                        #expect(keyframe.description.count <= SceneKeyframe.maximumDescriptionBytes)
                        #expect(keyframe.boxes.allSatisfy { $0.fits(width: keyframe.frameWidth, height: keyframe.frameHeight) })
                    }
                    #expect(message.payload() == payload)
                }
            } catch {
                refused += 1
            }
        }
        // The CRC must turn away (almost) all damage.
        #expect(refused > 15000, "\(refused) refused, \(accepted) accepted")
    }

    @Test("the mask decoder on 3000 random codes: bounded, never crashing, state kept on failure")
    func maskDecoder() throws {
        var random = SplitMix64(seed: 0xBEEF)
        let scene = SyntheticScene()
        var sender = MaskCoder()
        var receiver = MaskCoder()
        let first = sender.encode(scene.mask(0), sequence: 0, intra: true)
        _ = try receiver.decode(first)
        for iteration in 0..<3000 {
            let intra = random.int(0..<2) == 0
            let width = random.int(1..<80), height = random.int(1..<48)
            let code = (0..<random.int(0..<200)).map { _ in random.byte() }
            var probe = receiver
            let message = MaskMessage(sequence: intra ? UInt16(random.int(0..<65536)) : 1, intra: intra,
                                      width: intra ? width : 0, height: intra ? height : 0, code: code)
            if let mask = try? probe.decode(message) {
                #expect(mask.bits.allSatisfy { $0 <= 1 })
                #expect(mask.width == (intra ? width : scene.maskWidth), "iteration \(iteration)")
            }
        }
        // The real next mask still decodes: nothing above touched the receiver's state.
        let second = sender.encode(scene.mask(1), sequence: 1, intra: false)
        #expect(try receiver.decode(second) == scene.mask(1))
    }

    @Test("the receiver on 600 frames of hostile side data keeps its last good state")
    func receiver() throws {
        let (logger, _) = recordingLogger()
        let scene = SyntheticScene()
        let decoder = SelectiveDecoder(logger: logger)
        let valid = Self.validPayloads()
        let picture = scene.frame(0)
        let good = decoder.decode(picture: picture, sideData: [valid[4], valid[0]])
        #expect(good.composited)
        var random = SplitMix64(seed: 0xCAFE)
        for _ in 0..<600 {
            let sideData = (0..<random.int(0..<4)).map { _ in Self.mutate(valid[random.int(0..<valid.count)], &random) }
            let result = decoder.decode(picture: picture, sideData: sideData)
            #expect(result.output.width == picture.width && result.output.height == picture.height)
            #expect(result.mask != nil && result.background != nil)
        }
    }
}
