import BackdropCore
import Testing
@testable import SelectiveCodec
import TestSupport

@Suite("Padding and the preserved region")
struct PaddingTests {
    /// A frame with a bright square "person" on a busy room, and a mask of the square.
    static func scene(roomSeed: UInt64, shift: Int = 0) -> (VideoFrame, BinaryMask) {
        let (w, h) = (128, 96)
        var random = SplitMix64(seed: roomSeed)
        var frame = VideoFrame(width: w, height: h, fillY: 0, fillU: 128, fillV: 128)
        for i in 0..<frame.y.count { frame.y[i] = UInt8(random.int(0..<256)) }
        for i in 0..<frame.u.count { frame.u[i] = UInt8(random.int(0..<256)); frame.v[i] = UInt8(random.int(0..<256)) }
        var mask = BinaryMask(width: 32, height: 24)
        for my in 8..<20 {
            for mx in (10 + shift)..<(20 + shift) { mask.bits[my * 32 + mx] = 1 }
        }
        for y in 32..<80 {
            for x in (40 + 4 * shift)..<(80 + 4 * shift) { frame.y[y * w + x] = 200 }
        }
        return (frame, mask)
    }

    static func padded(_ frame: VideoFrame, _ mask: BinaryMask, padder: BackgroundPadder, refresh: Bool = true,
                       boxes: [PreserveBox] = []) -> (VideoFrame, [UInt8]) {
        var picture = frame
        let region = PreservedRegion(mask: mask, margin: 2, boxes: boxes, frameWidth: frame.width, frameHeight: frame.height)
        let weights = padder.pad(&picture, region: region, refresh: refresh)
        return (picture, weights)
    }

    @Test("nothing of the room beyond the margin gets into the padded picture")
    func noRoomLeaks() {
        for mode in [PaddingMode.pushPull, .flat] {
            let (a, mask) = Self.scene(roomSeed: 1)
            let (pa, weights) = Self.padded(a, mask, padder: BackgroundPadder(mode: mode))
            // Another room, the same where the region has weight (the person and the margin).
            var b = a
            var random = SplitMix64(seed: 2)
            for i in 0..<b.y.count where weights[i] == 0 { b.y[i] = UInt8(random.int(0..<256)) }
            let (pb, _) = Self.padded(b, mask, padder: BackgroundPadder(mode: mode))
            var leaked = 0
            for i in 0..<pa.y.count where pa.y[i] != pb.y[i] { leaked += 1 }
            #expect(leaked == 0, "\(mode): \(leaked) pixels depend on the room outside the region")
            #expect(weights.contains(0) && weights.contains(255))
            // And what was removed is really gone: the padded picture is not the room.
            #expect(pa.y != a.y)
        }
    }

    @Test("kept pixels are untouched; the padding extrapolates the region without a hard edge")
    func keptAndSmooth() {
        let (frame, mask) = Self.scene(roomSeed: 3)
        let (padded, weights) = Self.padded(frame, mask, padder: BackgroundPadder(mode: .pushPull))
        for i in 0..<frame.y.count where weights[i] == 255 { #expect(padded.y[i] == frame.y[i]) }
        // Far from the square the padding is flat, and the steepest step between neighbouring
        // padding pixels is far below the room's (random) or a grey fill's edge against the square.
        var steepest = 0
        for y in 0..<frame.height {
            for x in 1..<frame.width where weights[y * frame.width + x] == 0 && weights[y * frame.width + x - 1] == 0 {
                steepest = max(steepest, abs(Int(padded.y[y * frame.width + x]) - Int(padded.y[y * frame.width + x - 1])))
            }
        }
        #expect(steepest < 12, "steepest step in the padding: \(steepest)")
        let (flat, _) = Self.padded(frame, mask, padder: BackgroundPadder(mode: .flat))
        #expect(flat.y[0] == 128)
        // Just outside the ramp, push-pull continues the region's colours (the room in the margin
        // mixed with the square's 200), flat does not.
        #expect(abs(Int(padded.y[50 * frame.width + 30]) - 128) > 0)
    }

    @Test("padding stays still while the person moves, and is refreshed at a keyframe")
    func hold() {
        let padder = BackgroundPadder(mode: .pushPull)
        let (first, mask0) = Self.scene(roomSeed: 4)
        let (p0, w0) = Self.padded(first, mask0, padder: padder, refresh: true)
        let (second, mask1) = Self.scene(roomSeed: 5, shift: 2)
        let (p1, w1) = Self.padded(second, mask1, padder: padder, refresh: false)
        var moved = 0, uncovered = 0
        for i in 0..<p0.y.count where w0[i] == 0 && w1[i] == 0 {
            if p0.y[i] != p1.y[i] { moved += 1 }
        }
        for i in 0..<p0.y.count where w0[i] != 0 && w1[i] == 0 { uncovered += 1 }
        #expect(moved == 0, "\(moved) padding pixels changed")
        #expect(uncovered > 0)
        let (p2, w2) = Self.padded(second, mask1, padder: BackgroundPadder(mode: .pushPull), refresh: true)
        #expect(w2 == w1)
        var refreshed = 0
        for i in 0..<p1.y.count where w1[i] == 0 && p1.y[i] != p2.y[i] { refreshed += 1 }
        #expect(refreshed > 0)
    }

    @Test("preserve boxes are kept whatever the mask; macroblocks without weight are found")
    func boxesAndMacroblocks() {
        let (frame, _) = Self.scene(roomSeed: 6)
        let empty = BinaryMask(width: 32, height: 24)
        let box = PreserveBox(x: 96, y: 0, width: 32, height: 16)
        let (padded, weights) = Self.padded(frame, empty, padder: BackgroundPadder(mode: .pushPull), boxes: [box])
        for y in 0..<16 {
            for x in 96..<128 { #expect(padded.y[y * 128 + x] == frame.y[y * 128 + x]) }
        }
        let region = PreservedRegion(mask: empty, margin: 2, boxes: [box], frameWidth: 128, frameHeight: 96)
        let runs = weights.withUnsafeBufferPointer { region.backgroundMacroblockRuns(weights: $0.baseAddress!) }
        // 8x6 macroblocks; the box covers the two top-right ones.
        let background = runs.reduce(0) { $0 + $1.end - $1.start }
        #expect(background == 8 * 6 - 2)
        #expect(runs.first! == (row: 0, start: 0, end: 6))
    }

    @Test("dilation grows the mask by the margin in every direction")
    func dilation() {
        var mask = BinaryMask(width: 9, height: 9)
        mask.bits[4 * 9 + 4] = 1
        let dilated = PreservedRegion.dilate(mask, by: 2)
        for y in 0..<9 {
            for x in 0..<9 { #expect(dilated.bits[y * 9 + x] == (abs(x - 4) <= 2 && abs(y - 4) <= 2 ? 1 : 0)) }
        }
    }
}
