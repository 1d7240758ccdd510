/// Why a configuration was refused. Each message names where the value came from (the file,
/// an environment variable or an option), the key, the value, and what is allowed; `backdrop run`
/// and `backdrop config check` exit with status 78 (EX_CONFIG) on any of them.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case fileUnreadable(path: String, reason: String)
    case syntax(path: String, TOMLSnapshot.SyntaxError)
    case unknownKey(path: String, key: String, suggestion: String?)
    case wrongKind(origin: String, key: String, found: String, expected: String)
    case invalid(origin: String, key: String, value: String, allowed: String)
    case missing(key: String, hint: String)

    public var description: String {
        switch self {
        case let .fileUnreadable(path, reason):
            return "configuration error: cannot read \(path): \(reason)"
        case let .syntax(path, error):
            return "configuration error in \(path): not valid TOML: \(error)"
        case let .unknownKey(path, key, suggestion):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "configuration error in \(path): unknown key '\(key)'; \(hint)allowed keys: "
                + ConfigurationKey.all.map(\.name).joined(separator: ", ")
        case let .wrongKind(origin, key, found, expected):
            return "configuration error in \(origin): key '\(key)' is \(found); allowed: \(expected)"
        case let .invalid(origin, key, value, allowed):
            return "configuration error in \(origin): key '\(key)' = \(value): allowed: \(allowed)"
        case let .missing(key, hint):
            return "configuration error: key '\(key)' is missing; \(hint)"
        }
    }
}
