import Testing
@testable import SelectiveCodec

@Suite("Side-data messages")
struct SideDataTests {
    static let keyframe = SceneKeyframe(sceneID: 7, frameWidth: 640, frameHeight: 360,
                                        boxes: [PreserveBox(x: 10, y: 20, width: 100, height: 50)],
                                        format: 1, description: Array(0..<200).map { UInt8($0) })

    @Test("both message types round-trip through their payloads")
    func roundTrip() throws {
        let mask = MaskMessage(sequence: 65535, intra: true, width: 256, height: 144, code: [1, 2, 3, 0, 0, 3])
        for message in [SideDataMessage.mask(mask), .sceneKeyframe(Self.keyframe)] {
            let payload = message.payload()
            #expect(payload.prefix(16).elementsEqual(SideDataMessage.uuid))
            #expect(try SideDataMessage.parse(payload) == .message(message))
        }
        // Inter masks carry no size: the receiver takes it from the chain.
        let inter = MaskMessage(sequence: 3, intra: false, width: 0, height: 0, code: [9])
        #expect(try SideDataMessage.parse(SideDataMessage.mask(inter).payload()) == .message(.mask(inter)))
    }

    @Test("other UUIDs are foreign, unknown versions and types are skipped, damage is caught")
    func classification() throws {
        var x264 = [UInt8](repeating: 0xDC, count: 16) + Array("x264 - core 164".utf8)
        #expect(try SideDataMessage.parse(x264) == .foreign)
        x264 = []
        #expect(try SideDataMessage.parse(x264) == .foreign)

        var future = SideDataMessage.mask(MaskMessage(sequence: 1, intra: true, width: 4, height: 4, code: [])).payload()
        future[16] = 2  // version 2, CRC recomputed as a newer sender would
        let crc = CRC32.checksum(future, from: 16, to: future.count - 4)
        future.replaceSubrange((future.count - 4)..., with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        #expect(try SideDataMessage.parse(future) == .unsupported(version: 2, type: 1))

        var damaged = SideDataMessage.sceneKeyframe(Self.keyframe).payload()
        damaged[40] ^= 0x10
        #expect(throws: SideDataError.self) { try SideDataMessage.parse(damaged) }
    }

    @Test("every truncation of a payload is refused, never read past")
    func truncations() {
        for message in [SideDataMessage.sceneKeyframe(Self.keyframe),
                        .mask(MaskMessage(sequence: 2, intra: true, width: 64, height: 36, code: [7, 7]))] {
            let payload = message.payload()
            for length in 17..<payload.count {
                #expect(throws: SideDataError.self) { try SideDataMessage.parse(Array(payload.prefix(length))) }
            }
        }
    }

    @Test("out-of-range fields are refused even with a valid CRC")
    func ranges() {
        func sealed(_ body: [UInt8], type: UInt8) -> [UInt8] {
            var payload = SideDataMessage.uuid + [1, type] + body
            let crc = CRC32.checksum(payload, from: 16)
            payload += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
            return payload
        }
        // A mask of width 0, of width 2000, unknown flags.
        #expect(throws: SideDataError.self) { try SideDataMessage.parse(sealed([0, 1, 1, 0, 0, 0, 10], type: 1)) }
        #expect(throws: SideDataError.self) { try SideDataMessage.parse(sealed([0, 1, 1, 0x07, 0xD0, 0, 10], type: 1)) }
        #expect(throws: SideDataError.self) { try SideDataMessage.parse(sealed([0, 1, 6, 0, 10, 0, 10], type: 1)) }
        // A scene with a box outside the frame, and one claiming a 4 GB description.
        let box: [UInt8] = [0, 1, 0x02, 0x80, 0x01, 0x68, 1, 0x02, 0x70, 0, 0, 0, 0x20, 0, 0x20]
        #expect(throws: SideDataError.self) { try SideDataMessage.parse(sealed(box + [0, 0, 0, 0, 0], type: 2)) }
        let huge: [UInt8] = [0, 1, 0x02, 0x80, 0x01, 0x68, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: SideDataError.self) { try SideDataMessage.parse(sealed(huge, type: 2)) }
    }

    @Test("CRC-32 matches the standard check value")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("stream bytes: an SEI NAL unit with a Backdrop message counts as its type, even with emulation prevention")
    func streamBytes() {
        // A mask message whose code holds 00 00 01, which H.264 escapes as 00 00 03 01.
        let payload = SideDataMessage.mask(MaskMessage(sequence: 0, intra: true, width: 2, height: 2, code: [0, 0, 1, 0, 0, 0])).payload()
        var rbsp: [UInt8] = [5, UInt8(payload.count)] + payload + [0x80]
        var escaped: [UInt8] = [], zeros = 0
        for byte in rbsp {
            if zeros >= 2 && byte <= 3 {
                escaped.append(3)
                zeros = 0
            }
            escaped.append(byte)
            zeros = byte == 0 ? zeros + 1 : 0
        }
        rbsp = escaped
        let sei: [UInt8] = [0, 0, 0, 1, 0x06] + rbsp
        let slice: [UInt8] = [0, 0, 1, 0x65, 0x88, 0x84, 0x21, 0x40]
        var bytes = StreamBytes()
        (sei + slice).withUnsafeBufferPointer { bytes.add(annexB: $0) }
        #expect(bytes.mask == sei.count)
        #expect(bytes.picture == slice.count)
        #expect(bytes.scene == 0)
    }
}
