/// Why a scene could not be analysed, loaded, coded or synthesized; each message names the value
/// at fault and what to do about it.
public enum SceneError: Error, Equatable, CustomStringConvertible {
    /// The plate holds (almost) no background: the person covered the frame in every frame seen.
    case emptyPlate(coverage: Double)
    /// A palette label map uses more distinct colours than a scene has labels.
    case tooManyColours(count: Int, limit: Int)
    /// A palette label map uses colours the theme does not define.
    case unknownColours(colours: [String], theme: String, known: [String])
    /// No theme by this name, built in or loaded.
    case unknownTheme(name: String, known: [String])
    /// A theme file could not be read or has a missing, mistyped or out-of-range field.
    case themeFile(path: String, field: String, problem: String)
    /// A serialized scene is malformed; `offset` is the byte where decoding stopped.
    case malformed(offset: Int, reason: String)
    /// A size outside what the scene format or the synthesizer accepts.
    case invalidSize(what: String, width: Int, height: Int, limit: String)
    /// An argument outside its valid range.
    case invalidValue(what: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .emptyPlate(let coverage):
            let percent = (coverage * 1000).rounded() / 10
            return "no background seen (\(percent)% of the frame): the person covers the frame in every frame "
                + "analysed; analyse more frames, or a clip in which the person moves"
        case let .tooManyColours(count, limit):
            return "the label map has \(count) distinct colours, at most \(limit) are allowed: repaint it with "
                + "fewer colours, or pass --nearest to snap every pixel to the theme's palette"
        case let .unknownColours(colours, theme, known):
            let shown = colours.prefix(8).joined(separator: ", ") + (colours.count > 8 ? ", …" : "")
            return "the label map uses \(colours.count) colour(s) theme '\(theme)' does not define (\(shown)); "
                + "its palette is \(known.joined(separator: ", ")); repaint with those, or pass --nearest"
        case let .unknownTheme(name, known):
            return "no theme named '\(name)'; known themes: \(known.joined(separator: ", "))"
        case let .themeFile(path, field, problem):
            return "theme file \(path): \(field.isEmpty ? "" : field + ": ")\(problem)"
        case let .malformed(offset, reason):
            return "malformed scene description at byte \(offset): \(reason)"
        case let .invalidSize(what, width, height, limit):
            return "\(what) \(width)x\(height) is outside \(limit)"
        case let .invalidValue(what, value, expected):
            return "\(what) '\(value)' is invalid: expected \(expected)"
        }
    }
}
