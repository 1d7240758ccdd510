import BackdropCore
import Foundation
import Scene
import Testing

/// Painted label maps with themes, and theme files with their errors.
@Suite struct ThemeTests {
    static let palette = ThemeLibrary.builtInPalette

    /// A painting: sky on top, wall in the middle with a window, floor below.
    static func painting(width: Int = 64, height: Int = 36, extra: PaletteColour? = nil) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        func colour(_ name: String) -> PaletteColour { palette.first { $0.name == name }!.colour }
        for y in 0..<height {
            for x in 0..<width {
                var c = y < height / 4 ? colour("sky") : (y < 3 * height / 4 ? colour("wall") : colour("floor"))
                if x > width / 2, x < 3 * width / 4, y > height / 3, y < 2 * height / 3 { c = colour("window") }
                if let extra, x < 4, y > height / 2 { c = extra }
                image.pixels[3 * (y * width + x)] = c.red
                image.pixels[3 * (y * width + x) + 1] = c.green
                image.pixels[3 * (y * width + x) + 2] = c.blue
            }
        }
        return image
    }

    @Test func builtInThemesCoverThePalette() throws {
        #expect(ThemeLibrary.builtIn.names == ["office", "beach", "forest", "studio"])
        for theme in ThemeLibrary.builtIn.themes {
            #expect(theme.palette == Self.palette.map(\.colour))
        }
        #expect(throws: SceneError.self) { try ThemeLibrary.builtIn.theme(named: "mars") }
    }

    @Test func aPaintedMapWithTwoThemes() throws {
        var hashes: Set<String> = []
        for name in ["office", "beach"] {
            let theme = try ThemeLibrary.builtIn.theme(named: name)
            let scene = try PaletteLabelMap.scene(from: Self.painting(), theme: theme, frameWidth: 512, frameHeight: 288, seed: 1)
            #expect(scene.appearances.count == 4)
            #expect(scene.labels.width == 64 && scene.labels.height == 36)
            #expect(scene.appearances[1] == theme.entry(for: Self.palette[1].colour)!.appearance)  // wall, second to appear
            let frame = try BackgroundSynthesizer().synthesize(scene)
            hashes.insert(SHA256.hex(frame.y + frame.u + frame.v))
        }
        #expect(hashes.count == 2)
    }

    @Test func aLargePaintingIsReducedToAnEighthOfTheFrame() throws {
        let theme = try ThemeLibrary.builtIn.theme(named: "studio")
        let scene = try PaletteLabelMap.scene(from: Self.painting(width: 640, height: 360), theme: theme,
                                              frameWidth: 640, frameHeight: 360)
        #expect(scene.labels.width == 80 && scene.labels.height == 45)
    }

    @Test func unknownColoursAreNamedOrSnapped() throws {
        let theme = try ThemeLibrary.builtIn.theme(named: "office")
        let odd = PaletteColour(red: 0x12, green: 0x34, blue: 0x56)
        do {
            _ = try PaletteLabelMap.scene(from: Self.painting(extra: odd), theme: theme, frameWidth: 512, frameHeight: 288)
            Issue.record("an unknown colour was accepted")
        } catch let error {
            #expect(error == .unknownColours(colours: ["#123456"], theme: "office", known: theme.palette.map(\.description)))
            #expect("\(error)".contains("#123456") && "\(error)".contains("--nearest"))
        }
        let snapped = try PaletteLabelMap.scene(from: Self.painting(extra: odd), theme: theme, frameWidth: 512,
                                                frameHeight: 288, matching: .nearest)
        #expect(snapped.appearances.count <= 5)
    }

    @Test func moreThanSixteenColoursIsAnErrorNamingTheCount() throws {
        var image = RGBImage(width: 20, height: 1)
        for x in 0..<20 { image.pixels[3 * x] = UInt8(10 * x) }
        let theme = try ThemeLibrary.builtIn.theme(named: "office")
        #expect(throws: SceneError.tooManyColours(count: 20, limit: 16)) {
            try PaletteLabelMap.scene(from: image, theme: theme, frameWidth: 160, frameHeight: 90)
        }
    }

    static func load(_ json: String) throws(SceneError) -> ThemeLibrary {
        let path = NSTemporaryDirectory() + "scene-theme-\(UUID().uuidString).json"
        try? json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var library = ThemeLibrary.builtIn
        try library.load(path: path)
        return library
    }

    @Test func aThemeFileAddsThemes() throws {
        let library = try Self.load("""
            {"themes": [{"name": "cabin", "entries": [
              {"color": "#C8C8C8", "name": "wall", "lab": [62, 8, 22], "energy": [2, 3, 4], "orientation": 90, "anisotropy": 0.7,
               "shading": [0, -6, -4, 0, 0]},
              {"color": "#8B4513", "rgb": "#5A4030", "energy": [3, 3, 3]}
            ]}]}
            """)
        let cabin = try library.theme(named: "cabin")
        #expect(cabin.entries.count == 2)
        #expect(cabin.entries[0].appearance.lightness == 158 && cabin.entries[0].appearance.shading == [0, -12, -8, 0, 0])
        #expect(library.names.count == 5)
    }

    @Test(arguments: [
        (##"{"themes": [{"name": "x", "entries": [{"color": "#C8C8C8", "lab": [50, 0, 0]}]}]}"##, "themes[0].entries[0].energy", "missing"),
        (##"{"themes": [{"name": "x", "entries": [{"color": "#C8C8C8", "lab": [50, 0, 0], "energy": "high"}]}]}"##,
         "themes[0].entries[0].energy", "wrong type"),
        (##"{"themes": [{"name": "x", "entries": [{"color": "grey", "lab": [50, 0, 0], "energy": [1, 1, 1]}]}]}"##,
         "themes[0].entries[0].color", "#RRGGBB"),
        (##"{"themes": [{"name": "x", "entries": [{"color": "#C8C8C8", "lab": [150, 0, 0], "energy": [1, 1, 1]}]}]}"##,
         "themes[0].entries[0].lab[0]", "outside"),
        (##"{"themes": [{"name": "x", "entries": [{"color": "#C8C8C8", "energy": [1, 1, 1]}]}]}"##,
         "themes[0].entries[0]", "'lab' or 'rgb'"),
        (##"{"themes": [{"name": "x", "entries": [{"color": "#C8C8C8", "lab": [50, 0, 0], "energy": [1, 1]}]}]}"##,
         "themes[0].entries[0].energy", "expected 3"),
        (##"{"themes": [{"entries": []}]}"##, "themes[0].name", "missing"),
        (##"{"themes": [{"name": "x", "entries": [{"color": "#C8C8C8", "lab": [50, 0, 0], "energy": [1, 1, 1], "anisotropy": 2}]}]}"##,
         "themes[0].entries[0].anisotropy", "outside"),
        (##"{"themes": [ {"name": "x",, } ]}"##, "", "not valid JSON"),
    ])
    func badThemeFilesNameTheField(json: String, field: String, problem: String) {
        do {
            _ = try Self.load(json)
            Issue.record("accepted: \(json)")
        } catch let error {
            guard case let .themeFile(_, reportedField, reportedProblem) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reportedField == field)
            #expect(reportedProblem.contains(problem), "\(error)")
        }
    }

    @Test func aMissingThemeFileIsAClearError() {
        var library = ThemeLibrary.builtIn
        #expect(throws: SceneError.self) { try library.load(path: "/nonexistent/themes.json") }
    }
}
