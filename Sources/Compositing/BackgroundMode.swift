import Scene
/// What the user asked to put behind the person, as given on the command line.
public enum BackgroundMode: Sendable, Equatable, CustomStringConvertible {
    /// A blur of the camera's own background; `strength` is the blur radius (the Gaussian
    /// sigma) in percent of the frame width.
    case blur(strength: Double)
    /// A flat colour.
    case color(red: UInt8, green: UInt8, blue: UInt8)
    /// A picture file, scaled to the frame by the caller.
    case image(path: String)
    /// A background synthesized from the room's own label map: with the room's appearance, or
    /// with a named theme's (see `backdrop synthesize --list-themes`).
    case synth(theme: String?)

    /// The radius `blur` without a value means: strong, like the blur of video-call apps.
    public static let defaultBlurStrength = 2.5
    /// Strengths above this blur so much that every frame is one flat colour.
    public static let maximumBlurStrength = 20.0
    /// The forms `init(parsing:)` accepts, for help texts and error messages.
    public static let acceptedForms = ["blur", "blur:STRENGTH", "color:RRGGBB", "image:PATH", "synth", "synth:THEME"]

    /// Parses `blur`, `blur:STRENGTH`, `color:RRGGBB` (hex, any case, optional `#`) or `image:PATH`.
    public init(parsing text: String) throws(BackgroundModeError) {
        // Split on the first colon only: a path may contain more.
        let keyword: Substring
        let value: Substring?
        if let colon = text.firstIndex(of: ":") {
            keyword = text[..<colon]
            value = text[text.index(after: colon)...]
        } else {
            keyword = text[...]
            value = nil
        }
        switch keyword.lowercased() {
        case "blur":
            guard let value else {
                self = .blur(strength: Self.defaultBlurStrength)
                return
            }
            guard let strength = Double(value), strength > 0, strength <= Self.maximumBlurStrength else {
                throw .invalidBlurStrength(String(value))
            }
            self = .blur(strength: strength)
        case "color", "colour":
            guard let value else { throw .missingValue(mode: "color", form: "color:RRGGBB") }
            let hex = value.hasPrefix("#") ? value.dropFirst() : value
            guard hex.count == 6, hex.allSatisfy(\.isHexDigit), let rgb = UInt32(hex, radix: 16) else {
                throw .invalidColor(String(value))
            }
            self = .color(red: UInt8(rgb >> 16), green: UInt8((rgb >> 8) & 0xFF), blue: UInt8(rgb & 0xFF))
        case "image":
            guard let value else { throw .missingValue(mode: "image", form: "image:PATH") }
            guard !value.isEmpty else { throw .emptyImagePath }
            self = .image(path: String(value))
        case "synth":
            guard let value else {
                self = .synth(theme: nil)
                return
            }
            let known = ThemeLibrary.builtIn.names
            guard known.contains(String(value)) else { throw .unknownTheme(String(value), known: known) }
            self = .synth(theme: String(value))
        default:
            throw .unknownMode(text)
        }
    }

    /// The command-line form; parsing it gives back the same mode.
    public var description: String {
        switch self {
        case .blur(let strength):
            return "blur:\(strength)"
        case .color(let red, let green, let blue):
            return "color:" + [red, green, blue].map { byte in
                let hex = String(byte, radix: 16, uppercase: true)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
        case .image(let path):
            return "image:\(path)"
        case .synth(let theme):
            return theme.map { "synth:" + $0 } ?? "synth"
        }
    }
}
