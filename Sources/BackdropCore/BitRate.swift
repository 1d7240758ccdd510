/// Bit rates as people write them on command lines and in sink options.
public enum BitRate {
    /// "800k" -> 800000, "1.5M" -> 1500000, "64000" -> 64000; nil for anything else.
    public static func parse(_ text: String) -> Int? {
        var digits = Substring(text)
        var scale = 1.0
        switch text.last {
        case "k", "K": scale = 1e3; digits = digits.dropLast()
        case "m", "M": scale = 1e6; digits = digits.dropLast()
        default: break
        }
        guard let value = Double(digits), value.isFinite, value > 0 else { return nil }
        return Int((value * scale).rounded())
    }
}
