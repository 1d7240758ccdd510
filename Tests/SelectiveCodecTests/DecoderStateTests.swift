import BackdropCore
import Testing
@testable import SelectiveCodec
import TestSupport

@Suite("The receiver's state across damaged and missing side data")
struct DecoderStateTests {
    static func stream(count: Int, keyint: Int) -> [[[UInt8]]] {
        let scene = SyntheticScene()
        var coder = MaskCoder()
        let keyframe = SceneKeyframe(sceneID: 0, frameWidth: scene.width, frameHeight: scene.height, boxes: [],
                                     format: 0, description: [100, 120, 140])
        return (0..<count).map { index in
            let intra = index % keyint == 0
            var payloads = [SideDataMessage.mask(coder.encode(scene.mask(index), sequence: UInt16(index), intra: intra)).payload()]
            if intra { payloads.insert(SideDataMessage.sceneKeyframe(keyframe).payload(), at: 0) }
            return payloads
        }
    }

    @Test("a damaged mask is dropped with a warning; the last good mask stays until the next intra mask")
    func damagedMask() throws {
        let (logger, store) = recordingLogger()
        let scene = SyntheticScene()
        var sideData = Self.stream(count: 16, keyint: 8)
        sideData[3][0][20] ^= 0x01
        let decoder = SelectiveDecoder(logger: logger)
        for index in 0..<16 {
            let result = decoder.decode(picture: scene.frame(index), sideData: sideData[index])
            switch index {
            case 3:
                #expect(result.rejectedMessages == 1)
                #expect(!result.maskIsCurrent)
                #expect(result.mask == scene.mask(2), "the last good mask is used")
                #expect(result.composited)
            case 4..<8:
                #expect(!result.maskIsCurrent, "frame \(index) continues a broken chain")
                #expect(result.mask == scene.mask(2))
            default:
                #expect(result.maskIsCurrent)
                #expect(result.mask == scene.mask(index))
            }
        }
        let warnings = store.messages(atLeast: .warning)
        #expect(warnings.contains { $0.contains("CRC-32") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("does not follow") }, "\(warnings)")
    }

    @Test("a receiver joining mid-stream shows the plain picture until the next refresh point")
    func lateJoin() {
        let (logger, _) = recordingLogger()
        let scene = SyntheticScene()
        let sideData = Self.stream(count: 20, keyint: 8)
        let decoder = SelectiveDecoder(logger: logger)
        for index in 5..<20 {
            let picture = scene.frame(index)
            let result = decoder.decode(picture: picture, sideData: sideData[index])
            #expect(result.composited == (index >= 8), "frame \(index)")
            if index < 8 { #expect(samePixels(result.output, picture)) } else { #expect(result.mask == scene.mask(index)) }
        }
    }

    @Test("an unknown scene format or a broken description keeps the last background")
    func badScene() throws {
        let (logger, store) = recordingLogger()
        let scene = SyntheticScene()
        var sideData = Self.stream(count: 3, keyint: 8)
        let decoder = SelectiveDecoder(logger: logger)
        let first = decoder.decode(picture: scene.frame(0), sideData: sideData[0])
        let background = try #require(first.background)
        for (format, description) in [(UInt8(9), [UInt8](repeating: 1, count: 3)), (0, [1, 2])] {
            let bad = SceneKeyframe(sceneID: 1, frameWidth: scene.width, frameHeight: scene.height, boxes: [], format: format,
                                    description: description)
            sideData[1] = [SideDataMessage.sceneKeyframe(bad).payload()] + sideData[1]
            let result = decoder.decode(picture: scene.frame(1), sideData: [sideData[1][0]])
            #expect(result.rejectedMessages == 1)
            #expect(samePixels(try #require(result.background), background))
            #expect(result.sceneID == 0)
        }
        #expect(store.messages(atLeast: .warning).count >= 2)
    }
}
