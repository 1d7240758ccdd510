/// Bytes of a coded stream by what they carry, counted on the encoder's output packets.
public struct StreamBytes: Sendable, Equatable, Codable {
    /// Everything but Backdrop's SEI messages: slices, parameter sets, x264's own SEI.
    public var picture = 0
    /// Mask messages, whole NAL units with start codes.
    public var mask = 0
    /// Scene keyframe messages, whole NAL units with start codes.
    public var scene = 0

    public init() {}

    public var total: Int { picture + mask + scene }

    /// Splits one Annex B packet (start-code delimited NAL units, as libx264 emits them) and
    /// adds its NAL units to the matching category: an SEI NAL unit holding a Backdrop message
    /// counts as that message's type, the rest as picture.
    public mutating func add(annexB packet: UnsafeBufferPointer<UInt8>) {
        var accounted = 0
        for range in Self.nalUnits(packet) {
            // Each NAL unit owns the bytes from its start code to the next one's.
            let size = range.end - range.start
            accounted += size
            guard range.payload < range.end, packet[range.payload] & 0x1F == 6 else {
                picture += size
                continue
            }
            switch Self.backdropType(sei: packet, from: range.payload + 1, to: range.end) {
            case 1: mask += size
            case 2: scene += size
            default: picture += size
            }
        }
        picture += packet.count - accounted
    }

    /// NAL units as (start code offset, first byte after the start code, end).
    static func nalUnits(_ data: UnsafeBufferPointer<UInt8>) -> [(start: Int, payload: Int, end: Int)] {
        var starts: [(Int, Int)] = []
        var i = 0
        let n = data.count
        while i + 2 < n {
            if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
                let begin = i > 0 && data[i - 1] == 0 ? i - 1 : i
                starts.append((begin, i + 3))
                i += 3
            } else {
                i += 1
            }
        }
        return starts.enumerated().map { index, start in
            (start.0, start.1, index + 1 < starts.count ? starts[index + 1].0 : n)
        }
    }

    /// The Backdrop message type in an SEI NAL unit's first message, or 0.
    static func backdropType(sei data: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        // Undo emulation prevention for the header part only: type, size, UUID, version, type.
        var rbsp: [UInt8] = []
        var zeros = 0
        var i = start
        while i < end && rbsp.count < 40 {
            let byte = data[i]
            i += 1
            if zeros >= 2 && byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            rbsp.append(byte)
        }
        var k = 0
        var payloadType = 0
        while k < rbsp.count && rbsp[k] == 0xFF { payloadType += 255; k += 1 }
        guard k < rbsp.count else { return 0 }
        payloadType += Int(rbsp[k]); k += 1
        while k < rbsp.count && rbsp[k] == 0xFF { k += 1 }
        k += 1
        guard payloadType == 5, k + 18 <= rbsp.count,
              rbsp[k..<(k + 16)].elementsEqual(SideDataMessage.uuid), rbsp[k + 16] == SideDataMessage.version else { return 0 }
        return Int(rbsp[k + 17])
    }
}
