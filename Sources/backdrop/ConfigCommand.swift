import ArgumentParser
import Daemon
import Foundation

/// `backdrop config check PATH` and `backdrop config example`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check a daemon configuration file, or print a commented example.",
        subcommands: [Check.self, Example.self, ParseTOML.self])

    /// Validates a file as `backdrop run` would, without running anything.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a TOML configuration (with the BACKDROP_* environment, as `run` reads it).",
            discussion: "Exit status 0 when valid, 78 with a message naming the key, the value and what is allowed otherwise.")

        @Argument(help: "The file to check, e.g. /etc/backdrop/backdrop.toml.")
        var path: String

        func run() async throws {
            do {
                let configuration = try await ConfigurationLoader(path: path, parser: .currentExecutable).load()
                print("\(path): valid")
                for key in ConfigurationKey.all {
                    let live = key.live ? "  (live on reload)" : ""
                    print("  \(key.name) = \(configuration.text(of: key))\(live)")
                }
            } catch {
                printError("\(error)")
                throw ExitStatus.config
            }
        }
    }

    /// Prints the commented example, which lists every key with its default.
    struct Example: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a commented example configuration (every key, with its default).")

        func run() {
            print(ConfigurationExample.text, terminator: "")
        }
    }
}

extension ConfigCommand {
    /// The daemon's TOML parser process: TOML on stdin, the values or the syntax error as JSON on
    /// stdout. Run by `TOMLParserProcess`, so a file that makes toml++ abort only ends this child.
    struct ParseTOML: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse-toml", abstract: "Internal: parse TOML from stdin for the daemon.", shouldDisplay: false)

        func run() throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let outcome = TOMLParserProcess.Outcome(parsing: String(decoding: input, as: UTF8.self))
            FileHandle.standardOutput.write(try JSONEncoder().encode(outcome))
        }
    }
}

/// Writes a line to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
