import Foundation

/// The themes a command can use: the built-in ones, plus any loaded from JSON files (a loaded
/// theme with a built-in's name replaces it).
public struct ThemeLibrary: Sendable {
    public private(set) var themes: [Theme]

    public static let builtIn = ThemeLibrary(themes: BuiltInThemes.themes)

    /// The colours of the built-in palette and the region kind each paints.
    public static var builtInPalette: [(name: String, colour: PaletteColour)] {
        BuiltInThemes.palette.map { ($0.name, PaletteColour(hex: $0.colour)!) }
    }

    public init(themes: [Theme]) {
        self.themes = themes
    }

    public var names: [String] { themes.map(\.name) }

    public func theme(named name: String) throws(SceneError) -> Theme {
        guard let theme = themes.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw .unknownTheme(name: name, known: names)
        }
        return theme
    }

    /// Adds the themes of a JSON theme file (see docs/synthesis.md for its format).
    public mutating func load(path: String) throws(SceneError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .themeFile(path: path, field: "", problem: "cannot be read (\(error.localizedDescription))")
        }
        for theme in try ThemeFile.decode(data, path: path) {
            themes.removeAll { $0.name.lowercased() == theme.name.lowercased() }
            themes.append(theme)
        }
    }
}
