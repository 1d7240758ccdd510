import Testing
import BackdropCore
@testable import Compositing

@Suite struct BackgroundModeTests {
    @Test func blurWithoutValueUsesDefaultStrength() throws {
        #expect(try BackgroundMode(parsing: "blur") == .blur(strength: BackgroundMode.defaultBlurStrength))
    }

    @Test(arguments: [("blur:5", 5.0), ("blur:0.5", 0.5), ("BLUR:20", 20.0), ("Blur:1e-1", 0.1)])
    func blurWithStrength(text: String, strength: Double) throws {
        #expect(try BackgroundMode(parsing: text) == .blur(strength: strength))
    }

    @Test(arguments: ["0", "-1", "20.5", "abc", "", "nan", "inf", " 2"])
    func badBlurStrengthIsRejected(value: String) {
        #expect(throws: BackgroundModeError.invalidBlurStrength(value)) { try BackgroundMode(parsing: "blur:" + value) }
    }

    @Test(arguments: [
        ("color:FF8000", 255, 128, 0), ("color:ff8000", 255, 128, 0), ("COLOR:00Ff7f", 0, 255, 127),
        ("color:#102030", 16, 32, 48), ("colour:000000", 0, 0, 0), ("color:ffffff", 255, 255, 255),
    ])
    func color(text: String, red: Int, green: Int, blue: Int) throws {
        #expect(try BackgroundMode(parsing: text) == .color(red: UInt8(red), green: UInt8(green), blue: UInt8(blue)))
    }

    @Test(arguments: ["12345", "1234567", "GG0000", "", "#12345", "+12345", "12 345", "0x1234"])
    func badColorIsRejected(value: String) {
        #expect(throws: BackgroundModeError.invalidColor(value)) { try BackgroundMode(parsing: "color:" + value) }
    }

    @Test func colorErrorNamesTheValueAndTheForms() {
        let message = BackgroundModeError.invalidColor("12345").description
        #expect(message.contains("color must be 6 hex digits RRGGBB, got '12345'"))
        for form in BackgroundMode.acceptedForms { #expect(message.contains(form)) }
    }

    @Test(arguments: ["/tmp/beach.png", "relative/with:colon.jpg", "C:/pictures/x.png"])
    func imageKeepsTheWholePath(path: String) throws {
        #expect(try BackgroundMode(parsing: "image:" + path) == .image(path: path))
    }

    @Test func emptyImagePathIsRejected() {
        #expect(throws: BackgroundModeError.emptyImagePath) { try BackgroundMode(parsing: "image:") }
    }

    @Test(arguments: [("color", "color:RRGGBB"), ("image", "image:PATH")])
    func missingValueIsRejected(mode: String, form: String) {
        #expect(throws: BackgroundModeError.missingValue(mode: mode, form: form)) { try BackgroundMode(parsing: mode) }
    }

    @Test(arguments: ["synthetic", "", "blurry", "none", ":ff0000"])
    func unknownModeListsTheKnownOnes(text: String) {
        #expect(throws: BackgroundModeError.unknownMode(text)) { try BackgroundMode(parsing: text) }
        let message = BackgroundModeError.unknownMode(text).description
        #expect(message.contains("'\(text)'"))
        for form in BackgroundMode.acceptedForms { #expect(message.contains(form)) }
    }

    @Test func everyErrorNamesTheBadValue() {
        #expect(BackgroundModeError.invalidBlurStrength("abc").description.contains("'abc'"))
        #expect(BackgroundModeError.missingValue(mode: "color", form: "color:RRGGBB").description.contains("color:RRGGBB"))
        #expect(BackgroundModeError.emptyImagePath.description.contains("image:"))
    }

    @Test(arguments: [
        BackgroundMode.blur(strength: 2.5), .blur(strength: 0.125), .color(red: 1, green: 0xAB, blue: 0xFF),
        .color(red: 0, green: 0, blue: 0), .image(path: "/a:b/c.png"),
    ])
    func descriptionParsesBack(mode: BackgroundMode) throws {
        #expect(try BackgroundMode(parsing: mode.description) == mode)
    }
}

@Suite struct SynthModeTests {
    @Test func parsesSynthAndItsThemes() throws {
        #expect(try BackgroundMode(parsing: "synth") == .synth(theme: nil))
        #expect(try BackgroundMode(parsing: "synth:beach") == .synth(theme: "beach"))
        #expect(try BackgroundMode(parsing: "synth:beach").description == "synth:beach")
        #expect(throws: BackgroundModeError.unknownTheme("moon", known: ["office", "beach", "forest", "studio"])) {
            try BackgroundMode(parsing: "synth:moon")
        }
    }

    /// Without a mask the synthesized background learns nothing of the room and shows a neutral wall.
    @Test func synthesizedBackgroundWithoutAMaskShowsNoRoom() {
        var renderer = BackgroundRenderer(.synthesized(theme: nil))
        var frame = VideoFrame(width: 64, height: 48, fillY: 200, fillU: 60, fillV: 200)
        for i in stride(from: 0, to: frame.y.count, by: 7) { frame.y[i] = 30 }
        let first = renderer.render(for: frame, alpha: nil)
        let second = renderer.render(for: frame, alpha: nil)
        #expect(first.y == second.y)
        #expect(first.width == 64 && first.height == 48)
        // The room is strongly blue-magenta; a neutral wall is near-grey in chroma.
        let meanU = first.u.reduce(0) { $0 + Int($1) } / first.u.count
        #expect(abs(meanU - 128) < 20, "mean U \(meanU)")
    }
}
