import Foundation

/// Runs the real `backdrop` executable built next to this test bundle (or `BACKDROP_BIN`), as
/// Tests/BackdropCLITests/BackdropBinary.swift does, with a time limit.
enum BackdropExecutable {
    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["BACKDROP_BIN"], !explicit.isEmpty { return explicit }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary lives inside BackdropPackageTests.xctest/ on some layouts.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("backdrop").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("backdrop").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `backdrop` with `arguments`.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL,
                    timeout: Double = 120) throws -> Result {
        try run(path, arguments, environment: environment, in: directory, timeout: timeout)
    }

    /// Runs `executable` with `arguments`, this process's environment plus `environment`;
    /// kills it after `timeout` seconds (the result then has status -1).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    in directory: URL, timeout: Double = 120) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Files rather than pipes: a chatty child can never block on a full pipe.
        let outURL = directory.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let finished = wait(for: process, timeout: timeout)
        try out.close()
        try err.close()
        return Result(status: finished ? process.terminationStatus : -1,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Waits for `process` up to `timeout` seconds; kills it and returns false if it is still running.
    @discardableResult
    static func wait(for process: Process, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard process.isRunning else { return true }
        // SIGKILL: ffmpeg catches SIGTERM and would go on waiting in open() on a FIFO.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }
}
