import Configuration
import Foundation
import TOMLKit

/// A swift-configuration file snapshot over TOMLKit: nested tables become dotted keys
/// (`[camera] width = 1280` is `camera.width`), arrays of scalars become array values.
///
/// swift-configuration reads JSON and YAML itself but not TOML; this bridges the two so that
/// `FileProvider<TOMLSnapshot>` serves a TOML file like any other provider.
public struct TOMLSnapshot: FileConfigSnapshot {
    /// One value as the file spelled it, detached from TOMLKit's C++ nodes (which are not Sendable).
    public enum Value: Sendable, Equatable, Codable, CustomStringConvertible {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case array([Value])
        /// A date, a time, or a table inside an array: kept only to name it in errors.
        case unsupported(type: String)

        /// What a person calls this kind of value, for error messages.
        public var kindName: String {
            switch self {
            case .string: return "a string"
            case .int: return "an integer"
            case .double: return "a number"
            case .bool: return "a boolean"
            case .array: return "an array"
            case let .unsupported(type): return "a \(type)"
            }
        }

        /// The value as text; scalars only.
        public var text: String? {
            switch self {
            case let .string(s): return s
            case let .int(i): return String(i)
            case let .double(d): return String(d)
            case let .bool(b): return String(b)
            case .array, .unsupported: return nil
            }
        }

        public var description: String {
            switch self {
            case let .string(s): return "\"\(s)\""
            case let .array(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
            case let .unsupported(type): return "<\(type)>"
            default: return text ?? ""
            }
        }
    }

    /// Why a file is not valid TOML, with the place it goes wrong.
    public struct SyntaxError: Error, CustomStringConvertible, Equatable, Codable {
        public let message: String
        public let line: Int
        public let column: Int
        public var description: String { line > 0 ? "line \(line), column \(column): \(message)" : message }
    }

    /// A lookup asked for a type the file's value cannot be read as.
    public struct TypeMismatch: Error, CustomStringConvertible {
        public let key: String
        public let expected: ConfigType
        public let found: Value
        public var description: String { "key '\(key)' is \(found.kindName) (\(found)), not \(expected.rawValue)" }
    }

    /// Where the text is parsed: in this process, or in a child (`TOMLParserProcess`) so that a
    /// file toml++ cannot cope with never takes the caller down.
    public struct ParsingOptions: FileParsingOptions {
        public var parser: TOMLParserProcess?
        public static var `default`: ParsingOptions { ParsingOptions() }
        public init(parser: TOMLParserProcess? = nil) {
            self.parser = parser
        }
    }

    /// Every value, by dotted key.
    public let values: [String: Value]
    public let providerName: String

    public init(values: [String: Value], providerName: String = "TOMLSnapshot") {
        self.values = values
        self.providerName = providerName
    }

    public init(data: RawSpan, providerName: String, parsingOptions: ParsingOptions) throws {
        let text = data.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        if let parser = parsingOptions.parser {
            self.init(values: try parser.parse(text), providerName: providerName)
        } else {
            try self.init(text: text, providerName: providerName)
        }
    }

    /// Parses TOML text in this process; throws `SyntaxError`. toml++ (inside TOMLKit) aborts the
    /// process on some malformed input, by assertions it keeps in release builds: give untrusted
    /// text to a `TOMLParserProcess` instead.
    public init(text: String, providerName: String = "TOMLSnapshot") throws(SyntaxError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SyntaxError(message: error.description, line: error.source.begin.line, column: error.source.begin.column)
        } catch {
            throw SyntaxError(message: "\(error)", line: 0, column: 0)
        }
        var values: [String: Value] = [:]
        Self.flatten(table, prefix: "", into: &values)
        self.init(values: values, providerName: providerName)
    }

    private static func flatten(_ table: TOMLTable, prefix: String, into values: inout [String: Value]) {
        for (key, node) in table {
            let name = prefix.isEmpty ? key : prefix + "." + key
            if let inner = node.table {
                flatten(inner, prefix: name, into: &values)
            } else {
                values[name] = value(of: node)
            }
        }
    }

    private static func value(of node: any TOMLValueConvertible) -> Value {
        switch node.type {
        case .string: return .string(node.string ?? "")
        case .int: return .int(node.int ?? 0)
        case .double: return .double(node.double ?? 0)
        case .bool: return .bool(node.bool ?? false)
        case .array: return .array((node.array.map { Array($0) } ?? []).map { value(of: $0) })
        case .table: return .unsupported(type: "table")
        case .date, .time, .dateTime: return .unsupported(type: "date or time")
        }
    }

    public func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        let name = key.components.joined(separator: ".")
        guard let found = values[name] else { return LookupResult(encodedKey: name, value: nil) }
        guard let content = Self.content(found, as: type) else {
            throw TypeMismatch(key: name, expected: type, found: found)
        }
        return LookupResult(encodedKey: name, value: ConfigValue(content, isSecret: false))
    }

    /// Reads a value as `type`. Scalars read as strings too, and a lone string as a one-element
    /// array, so a hand-written file is not refused over quoting.
    static func content(_ value: Value, as type: ConfigType) -> ConfigContent? {
        func items<T>(_ read: (Value) -> T?) -> [T]? {
            switch value {
            case let .array(elements):
                let converted = elements.compactMap(read)
                return converted.count == elements.count ? converted : nil
            default:
                return read(value).map { [$0] }
            }
        }
        switch type {
        case .string: return value.text.map(ConfigContent.string)
        case .int: return int(value).map(ConfigContent.int)
        case .double: return double(value).map(ConfigContent.double)
        case .bool: if case let .bool(b) = value { return .bool(b) } else { return nil }
        case .stringArray: return items { $0.text }.map(ConfigContent.stringArray)
        case .intArray: return items(int).map(ConfigContent.intArray)
        case .doubleArray: return items(double).map(ConfigContent.doubleArray)
        case .boolArray: return items { if case let .bool(b) = $0 { b } else { nil } }.map(ConfigContent.boolArray)
        case .bytes, .byteChunkArray: return nil
        }
    }

    private static func int(_ value: Value) -> Int? {
        if case let .int(i) = value { return i }
        return nil
    }

    private static func double(_ value: Value) -> Double? {
        switch value {
        case let .double(d): return d
        case let .int(i): return Double(i)
        default: return nil
        }
    }

    public var description: String { "\(providerName)[\(values.count) values]" }

    public var debugDescription: String {
        "\(providerName)[" + values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ", ") + "]"
    }
}
