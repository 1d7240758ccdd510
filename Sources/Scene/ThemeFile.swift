import Foundation

/// The JSON theme file format and its validation: every missing, mistyped or out-of-range
/// field is reported with its path, e.g. `themes[0].entries[2].energy[1]`.
enum ThemeFile {
    private struct File: Decodable {
        var themes: [ThemeRecord]
    }

    private struct ThemeRecord: Decodable {
        var name: String
        var entries: [EntryRecord]
    }

    private struct EntryRecord: Decodable {
        var color: String
        var name: String?
        var lab: [Double]?
        var rgb: String?
        var energy: [Double]
        var orientation: Double?
        var anisotropy: Double?
        var shading: [Double]?
    }

    static func decode(_ data: Data, path: String) throws(SceneError) -> [Theme] {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, path: path)
        } catch {
            throw .themeFile(path: path, field: "", problem: "\(error)")
        }
        guard !file.themes.isEmpty else { throw .themeFile(path: path, field: "themes", problem: "is empty") }
        var themes: [Theme] = []
        for (t, record) in file.themes.enumerated() {
            let at = "themes[\(t)]"
            func fail(_ field: String, _ problem: String) -> SceneError { .themeFile(path: path, field: at + field, problem: problem) }
            guard !record.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail(".name", "is empty") }
            guard !record.entries.isEmpty else { throw fail(".entries", "is empty: a theme needs at least one entry") }
            var entries: [Theme.Entry] = []
            for (e, entry) in record.entries.enumerated() {
                entries.append(try parse(entry, at: ".entries[\(e)]", fail: fail))
            }
            let colours = entries.map(\.colour)
            if let duplicate = colours.first(where: { c in colours.filter { $0 == c }.count > 1 }) {
                throw fail(".entries", "colour \(duplicate) is used by more than one entry")
            }
            themes.append(Theme(name: record.name, entries: entries))
        }
        return themes
    }

    private static func parse(_ entry: EntryRecord, at: String,
                              fail: (String, String) -> SceneError) throws(SceneError) -> Theme.Entry {
        guard let colour = PaletteColour(hex: entry.color) else {
            throw fail(at + ".color", "'\(entry.color)' is not a #RRGGBB colour")
        }
        let lab: (l: Double, a: Double, b: Double)
        switch (entry.lab, entry.rgb) {
        case let (values?, nil):
            guard values.count == 3 else { throw fail(at + ".lab", "has \(values.count) numbers, expected 3 (L*, a*, b*)") }
            guard (0...100).contains(values[0]) else { throw fail(at + ".lab[0]", "\(values[0]) is outside 0...100") }
            for i in 1...2 where !(-128...127).contains(values[i]) {
                throw fail(at + ".lab[\(i)]", "\(values[i]) is outside -128...127")
            }
            lab = (values[0], values[1], values[2])
        case let (nil, hex?):
            guard let rgb = PaletteColour(hex: hex) else { throw fail(at + ".rgb", "'\(hex)' is not a #RRGGBB colour") }
            lab = ColorSpace.lab(red: Double(rgb.red), green: Double(rgb.green), blue: Double(rgb.blue))
        case (nil, nil):
            throw fail(at, "missing field 'lab' or 'rgb' (the mean colour)")
        case (_?, _?):
            throw fail(at, "has both 'lab' and 'rgb'; give one")
        }
        guard entry.energy.count == 3 else {
            throw fail(at + ".energy", "has \(entry.energy.count) numbers, expected 3 (fine, medium, coarse)")
        }
        for (i, e) in entry.energy.enumerated() where !(0...63).contains(e) {
            throw fail(at + ".energy[\(i)]", "\(e) is outside 0...63 (code values)")
        }
        let orientation = entry.orientation ?? 0
        guard (0...180).contains(orientation) else { throw fail(at + ".orientation", "\(orientation) is outside 0...180 (degrees)") }
        let anisotropy = entry.anisotropy ?? 0
        guard (0...1).contains(anisotropy) else { throw fail(at + ".anisotropy", "\(anisotropy) is outside 0...1") }
        let shading = entry.shading ?? [0, 0, 0, 0, 0]
        guard shading.count == 5 else {
            throw fail(at + ".shading", "has \(shading.count) numbers, expected 5 (x, y, x², xy, y²)")
        }
        for (i, s) in shading.enumerated() where !(-64...63.5).contains(s) {
            throw fail(at + ".shading[\(i)]", "\(s) is outside -64...63.5 (code values)")
        }
        return Theme.Entry(colour: colour, name: entry.name ?? colour.description,
                           appearance: .reproducible(lab: lab, shading: shading, energy: entry.energy,
                                                     orientationDegrees: orientation, anisotropy: anisotropy))
    }

    private static func describe(_ error: DecodingError, path: String) -> SceneError {
        func name(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case let .keyNotFound(key, context):
            return .themeFile(path: path, field: name(context.codingPath + [key]), problem: "missing")
        case let .typeMismatch(type, context):
            return .themeFile(path: path, field: name(context.codingPath), problem: "wrong type, expected \(readable(type))")
        case let .valueNotFound(type, context):
            return .themeFile(path: path, field: name(context.codingPath), problem: "null, expected \(readable(type))")
        case let .dataCorrupted(context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return .themeFile(path: path, field: name(context.codingPath),
                              problem: "not valid JSON (\(underlying ?? context.debugDescription))")
        @unknown default:
            return .themeFile(path: path, field: "", problem: "\(error)")
        }
    }

    private static func readable(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type: return "a number"
        case is [Double].Type: return "an array of numbers"
        default:
            let text = "\(type)"
            return text.hasPrefix("Array") ? "an array" : (text.contains("Record") || text == "File" ? "an object" : text)
        }
    }
}
