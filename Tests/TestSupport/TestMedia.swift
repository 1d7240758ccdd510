import Foundation

/// Test media fetched by scripts/setup.sh (pinned in scripts/media.tsv), in `BACKDROP_MEDIA`
/// or ~/.cache/backdrop/media.
public enum TestMedia {
    public static func path(_ name: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let dir = env["BACKDROP_MEDIA"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/backdrop/media").path
        let path = dir + "/" + name
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "test media \(path) is missing: run scripts/setup.sh" }
    }
}
