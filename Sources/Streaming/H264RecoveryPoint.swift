/// Finds the H.264 recovery point SEI (payload type 6) in an Annex B access unit: after a loss,
/// the picture is whole again `recovery_frame_cnt` frames after the one carrying it. x264's
/// intra refresh sends no IDR after the first, only these; FFmpeg 5.1 does not report them per
/// frame, so the receiver reads them itself. The packet is untrusted: every read is bounds-checked.
enum H264RecoveryPoint {
    /// What an access unit says about recovery.
    struct Marks: Equatable {
        /// It holds an IDR slice: the picture is whole at once.
        var idr = false
        /// `recovery_frame_cnt` of its recovery point SEI, if it has one.
        var recoveryFrameCount: Int?
    }

    static func marks(in bytes: UnsafeBufferPointer<UInt8>) -> Marks {
        var marks = Marks()
        forEachNAL(in: bytes) { nal in
            switch nal.first.map({ $0 & 0x1F }) {
            case 5: marks.idr = true
            case 6: if let count = recoveryFrameCount(sei: nal.dropFirst()) { marks.recoveryFrameCount = count }
            default: break
            }
        }
        return marks
    }

    /// Calls `body` with each NAL unit (header byte first) between Annex B start codes.
    private static func forEachNAL(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Slice<UnsafeBufferPointer<UInt8>>) -> Void) {
        var start: Int?
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0, bytes[i + 2] == 1 {
                if let s = start { body(bytes[s..<trimmingZeros(bytes, end: i)]) }
                i += 3
                start = i
            } else {
                i += 1
            }
        }
        if let s = start, s < bytes.count { body(bytes[s..<bytes.count]) }
    }

    /// The end of a NAL unit before the zero bytes of the next start code.
    private static func trimmingZeros(_ bytes: UnsafeBufferPointer<UInt8>, end: Int) -> Int {
        var end = end
        while end > 0 && bytes[end - 1] == 0 { end -= 1 }
        return end
    }

    /// Walks the SEI messages of one SEI NAL payload (after the header byte).
    private static func recoveryFrameCount(sei: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        let rbsp = unescaped(sei)
        var offset = 0
        while offset < rbsp.count, rbsp[offset] != 0x80 {  // 0x80: rbsp trailing bits
            guard let type = readSEIValue(rbsp, &offset), let size = readSEIValue(rbsp, &offset),
                  size <= rbsp.count - offset else { return nil }
            if type == 6 {
                var reader = BitReader(bytes: rbsp[offset..<offset + size])
                return reader.readUnsignedExpGolomb()
            }
            offset += size
        }
        return nil
    }

    /// SEI payload type or size: a run of 0xFF bytes (255 each) plus a final byte.
    private static func readSEIValue(_ bytes: [UInt8], _ offset: inout Int) -> Int? {
        var value = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            value += Int(byte)
            if byte != 0xFF { return value }
            if value > 1 << 20 { return nil }
        }
        return nil
    }

    /// The payload without emulation prevention bytes (00 00 03 -> 00 00).
    private static func unescaped(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var zeros = 0
        for byte in bytes {
            if zeros >= 2 && byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            result.append(byte)
        }
        return result
    }

    /// Reads bits most significant first.
    private struct BitReader {
        let bytes: ArraySlice<UInt8>
        var position = 0

        mutating func readBit() -> Int? {
            let index = bytes.startIndex + position / 8
            guard index < bytes.endIndex else { return nil }
            defer { position += 1 }
            return Int(bytes[index] >> (7 - UInt8(position % 8))) & 1
        }

        /// ue(v); nil when the bits run out or the value would not fit 31 bits.
        mutating func readUnsignedExpGolomb() -> Int? {
            var zeros = 0
            while true {
                guard let bit = readBit() else { return nil }
                if bit == 1 { break }
                zeros += 1
                if zeros > 30 { return nil }
            }
            var value = 0
            for _ in 0..<zeros {
                guard let bit = readBit() else { return nil }
                value = value << 1 | bit
            }
            return (1 << zeros) - 1 + value
        }
    }
}
