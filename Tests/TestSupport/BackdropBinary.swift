import Foundation

/// Runs the real `backdrop` executable, built next to this test bundle (or `BACKDROP_BIN`), and
/// other tools the tests need (ffmpeg, a C compiler, the install scripts).
public enum BackdropBinary {
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["BACKDROP_BIN"], !explicit.isEmpty { return explicit }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary lives inside BackdropPackageTests.xctest/ on some layouts.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("backdrop").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("backdrop").path
    }

    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `backdrop` with `arguments`; see `run(_:_:environment:timeout:)`.
    public static func run(_ arguments: [String], environment: [String: String]? = nil, timeout: Double? = nil) throws -> Result {
        try run(path, arguments, environment: environment, timeout: timeout)
    }

    /// Runs `executable` with `arguments`, with `environment` instead of this process's when
    /// given; with a `timeout`, kills it after that many seconds (the result then has status -1).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           timeout: Double? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        // Files rather than pipes: a chatty child can never block on a full pipe.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var finished = true
        if let timeout {
            finished = wait(for: process, timeout: timeout)
        } else {
            process.waitUntilExit()
        }
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(status: finished ? process.terminationStatus : -1, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Waits for `process` up to `timeout` seconds; kills it and returns false if it is still running.
    @discardableResult
    public static func wait(for process: Process, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard process.isRunning else { return true }
        // SIGKILL: ffmpeg catches SIGTERM and would go on waiting in open() on a FIFO.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    public static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
