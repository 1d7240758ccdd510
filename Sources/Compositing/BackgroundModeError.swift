/// Why a background mode string could not be parsed; each message names the bad value.
public enum BackgroundModeError: Error, Equatable, CustomStringConvertible {
    case unknownMode(String)
    case missingValue(mode: String, form: String)
    case invalidBlurStrength(String)
    case invalidColor(String)
    case emptyImagePath
    case unknownTheme(String, known: [String])

    public var description: String {
        let accepted = "accepted forms: " + BackgroundMode.acceptedForms.joined(separator: ", ")
        switch self {
        case .unknownMode(let text):
            return "unknown background mode '\(text)'; \(accepted)"
        case .missingValue(let mode, let form):
            return "\(mode) needs a value, as in \(form); \(accepted)"
        case .invalidBlurStrength(let value):
            return "blur strength must be a number above 0 and at most "
                + "\(BackgroundMode.maximumBlurStrength) (radius in % of the frame width), got '\(value)'; \(accepted)"
        case .invalidColor(let value):
            return "color must be 6 hex digits RRGGBB, got '\(value)'; \(accepted)"
        case .unknownTheme(let name, let known):
            return "unknown theme '\(name)'; built-in themes: \(known.joined(separator: ", "))"
        case .emptyImagePath:
            return "image needs a file path after 'image:', got none; \(accepted)"
        }
    }
}
