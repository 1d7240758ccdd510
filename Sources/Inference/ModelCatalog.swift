import Foundation

/// Where the segmentation models live, and how a `--model` value names one.
public enum ModelCatalog {
    /// The two MediaPipe selfie-segmentation models setup fetches.
    public enum Builtin: String, CaseIterable, Sendable {
        case landscape
        case portrait

        public var fileName: String {
            switch self {
            case .landscape: return "selfie_segmentation_landscape.tflite"
            case .portrait: return "selfie_segmentation.tflite"
            }
        }

        /// SHA-256 of the file as pinned in Models/manifest.tsv (a test keeps the two in step).
        public var sha256: String {
            switch self {
            case .landscape: return "a77d03f4659b9f6b6c1f5106947bf40e99d7655094b6527f214ea7d451106edd"
            case .portrait: return "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c"
            }
        }
    }

    /// Directories searched in order: `BACKDROP_MODELS`, the user cache setup fills, then the
    /// system-wide locations an install puts them in.
    public static func searchPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let dir = environment["BACKDROP_MODELS"], !dir.isEmpty { dirs.append(dir) }
        if let home = environment["HOME"], !home.isEmpty { dirs.append(home + "/.cache/backdrop/models") }
        dirs += ["/usr/local/share/backdrop/models", "/usr/share/backdrop/models"]
        return dirs
    }

    /// Resolves `landscape`, `portrait` or a path to a `.tflite` file.
    public static func resolve(_ name: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let fm = FileManager.default
        guard let builtin = Builtin(rawValue: name) else {
            guard fm.fileExists(atPath: name) else {
                throw InferenceError.modelNotFound(name: name, searched: [name])
            }
            return URL(fileURLWithPath: name)
        }
        let dirs = searchPath(environment: environment)
        for dir in dirs {
            let path = dir + "/" + builtin.fileName
            if fm.fileExists(atPath: path) { return URL(fileURLWithPath: path) }
        }
        throw InferenceError.modelNotFound(name: name, searched: dirs)
    }
}
