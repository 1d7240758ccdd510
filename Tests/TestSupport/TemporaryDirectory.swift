import Foundation

/// A fresh directory under the temporary directory, removed when the value is released.
public final class TemporaryDirectory {
    public let path: String

    public init(prefix: String = "backdrop-tests") throws {
        path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes a fresh SRTP key file (base64 of 30 random bytes, mode 0600) and returns its path.
    public func srtpKeyFile(_ name: String = "stream.key") throws -> String {
        let bytes = (0..<30).map { _ in UInt8.random(in: 0...255) }
        let path = file(name)
        try (Data(bytes).base64EncodedString() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }
}
