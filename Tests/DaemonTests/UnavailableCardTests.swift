import BackdropCore
@testable import Daemon
import Testing

@Suite struct UnavailableCardTests {
    @Test func drawsAGreyPanelWithLightTextInTheMiddle() {
        let background = VideoFrame(width: 640, height: 360, fillY: 145, fillU: 54, fillV: 34)
        var frame = background
        UnavailableCard().draw(on: &frame, reason: "camera '/dev/video0' is unplugged")
        // The corners keep the background.
        #expect(frame.y[0] == 145 && frame.y[640 * 360 - 1] == 145 && frame.u[0] == 54)
        // The centre row band holds panel and text: dark panel pixels and bright glyph pixels.
        let middle = Array(frame.y[(170 * 640)..<(190 * 640)])
        #expect(middle.contains(UnavailableCard.panelLuma))
        let patch = UnavailableCard.render(frameWidth: 640, frameHeight: 360, reason: "camera '/dev/video0' is unplugged")
        let bright = patch.luma.filter { $0 == UnavailableCard.titleLuma }.count
        #expect(bright > 200, "\(bright) title pixels")
        #expect(patch.luma.contains(UnavailableCard.reasonLuma))
        // Chroma in the panel is neutral, so it reads grey on any background.
        #expect(frame.u[(180 / 2) * frame.chromaWidth + 320 / 2] == 128)
        #expect(frame.v[(180 / 2) * frame.chromaWidth + 320 / 2] == 128)
    }

    @Test func reusesTheRenderedPanelForTheSameReasonAndSize() {
        let card = UnavailableCard()
        var first = VideoFrame(width: 320, height: 240, fillY: 16, fillU: 128, fillV: 128)
        var second = first
        card.draw(on: &first, reason: "gone")
        card.draw(on: &second, reason: "gone")
        #expect(first.y == second.y)
        var other = VideoFrame(width: 320, height: 240, fillY: 16, fillU: 128, fillV: 128)
        card.draw(on: &other, reason: "something else entirely")
        #expect(other.y != first.y)
    }

    @Test func survivesTinyAndOddFrames() {
        for (width, height) in [(2, 2), (17, 9), (63, 47), (1, 1)] {
            var frame = VideoFrame(width: width, height: height, fillY: 100, fillU: 128, fillV: 128)
            UnavailableCard().draw(on: &frame, reason: String(repeating: "long reason ", count: 40))
            #expect(frame.y.count == width * height)
        }
    }

    @Test func wrapsTheReasonAndCutsWhatDoesNotFit() {
        #expect(UnavailableCard.wrap("no camera here", maxCharacters: 20, maxLines: 2) == ["NO CAMERA HERE"])
        #expect(UnavailableCard.wrap("aaa bbb ccc", maxCharacters: 7, maxLines: 2) == ["AAA BBB", "CCC"])
        let cut = UnavailableCard.wrap("one two three four five six", maxCharacters: 9, maxLines: 2)
        #expect(cut.count == 2 && cut[1].hasSuffix("...") && cut.allSatisfy { $0.count <= 9 })
        #expect(UnavailableCard.wrap("abcdefghij", maxCharacters: 4, maxLines: 3) == ["ABCD", "EFGH", "IJ"])
    }

    @Test func theFontCoversWhatReasonsContain() {
        for character in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_/()'\"!?=+%[]<>" {
            #expect(BitmapFont.covers(character), "\(character)")
            #expect(BitmapFont.glyph(character).count == 7)
        }
        #expect(BitmapFont.glyph("é") == BitmapFont.glyph("?"))
        #expect(BitmapFont.glyph("a") == BitmapFont.glyph("A"))
    }
}
