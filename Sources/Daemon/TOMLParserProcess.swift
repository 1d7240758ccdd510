import Foundation

/// Parses TOML in a child process, the backdrop binary's hidden `config parse-toml`, and reads
/// the values back as JSON. toml++ inside TOMLKit aborts its whole process on some malformed
/// input (`[,x]`, `a=[}`: assertions it keeps in release builds); in a child, such a file is
/// one more syntax error, and a typo followed by a reload cannot take the running daemon down.
public struct TOMLParserProcess: Sendable {
    /// What the child prints: the values, or why the text is not TOML.
    public enum Outcome: Codable, Sendable {
        case values([String: TOMLSnapshot.Value])
        case syntaxError(TOMLSnapshot.SyntaxError)

        /// Parses in this process: the child's side.
        public init(parsing text: String) {
            do {
                self = .values(try TOMLSnapshot(text: text).values)
            } catch {
                self = .syntaxError(error)
            }
        }
    }

    /// A configuration file is a few KiB; this much fits the pipe in one write.
    public static let maximumSize = 60_000

    public var executable: String
    public var arguments: [String]
    /// Seconds before a child that has not answered is killed.
    public var timeout: Double

    public init(executable: String, arguments: [String] = ["config", "parse-toml"], timeout: Double = 10) {
        self.executable = executable
        self.arguments = arguments
        self.timeout = timeout
    }

    /// This very binary (it has the `config parse-toml` subcommand), even if replaced on disk since.
    public static var currentExecutable: TOMLParserProcess { TOMLParserProcess(executable: "/proc/self/exe") }

    public func parse(_ text: String) throws(TOMLSnapshot.SyntaxError) -> [String: TOMLSnapshot.Value] {
        let bytes = Data(text.utf8)
        guard bytes.count <= Self.maximumSize else {
            throw failure("the file is \(bytes.count) bytes; a configuration has at most \(Self.maximumSize)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw failure("the TOML parser process \(executable) could not start: \(error.localizedDescription)")
        }
        // Fits the pipe's buffer (64 KiB): the write cannot block on a child that is not reading.
        try? input.fileHandleForWriting.write(contentsOf: bytes)
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        let answer = Self.readAll(output.fileHandleForReading, until: deadline)
        // SIGKILL: the daemon ignores SIGTERM for its own handling, and children inherit that.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0, let answer,
              let outcome = try? JSONDecoder().decode(Outcome.self, from: answer) else {
            throw failure("the TOML parser gave up on this file without saying where (it stops on a stray "
                + "'[', '{' or ',' starting a table name or a value): check the lines you changed last")
        }
        switch outcome {
        case let .values(values): return values
        case let .syntaxError(error): throw error
        }
    }

    private func failure(_ message: String) -> TOMLSnapshot.SyntaxError {
        TOMLSnapshot.SyntaxError(message: message, line: 0, column: 0)
    }

    /// Reads to the end of the stream, or gives up (nil) at `deadline`.
    private static func readAll(_ handle: FileHandle, until deadline: Date) -> Data? {
        var data = Data()
        let fd = handle.fileDescriptor
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            let chunk = handle.availableData
            if chunk.isEmpty { return data }
            data.append(chunk)
        }
    }
}
