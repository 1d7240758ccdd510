import Foundation

/// Locates the MediaPipe models fetched by scripts/setup.sh, as the production lookup does.
enum ModelFiles {
    static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["BACKDROP_MODELS"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/backdrop/models")
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MissingModel(path: url.path)
        }
        return [UInt8](data)
    }

    struct MissingModel: Error, CustomStringConvertible {
        let path: String
        var description: String { "model \(path) is missing: run scripts/setup.sh" }
    }
}
