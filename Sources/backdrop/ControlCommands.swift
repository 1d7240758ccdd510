import ArgumentParser
import Compositing
import Daemon
import Foundation

/// Where the running daemon listens, shared by the control commands.
struct ControlOptions: ParsableArguments {
    @Option(help: "The control socket (default: BACKDROP_CONTROL_SOCKET, else the user's daemon, else /run/backdrop/control.sock).")
    var socket: String?

    /// Sends `request` and returns the daemon's answer, or exits with 69 (no daemon), 77 (not
    /// allowed) or 1 (the daemon refused).
    func send(_ request: ControlRequest) throws -> ControlResponse {
        let path = socket ?? ControlClient.defaultPath()
        let response: ControlResponse
        do {
            response = try ControlClient.send(request, to: path)
        } catch {
            printError("backdrop: \(error)")
            if case .permissionDenied = error { throw ExitStatus.noPermission }
            throw ExitStatus.unavailable
        }
        guard response.ok else {
            printError("backdrop: the daemon refused: \(response.error ?? "no reason given")")
            throw ExitStatus.failure
        }
        return response
    }
}

/// `backdrop status`: what the running daemon is doing.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the running daemon's state: camera, frame rate, drops, stage latencies, sinks.")

    @Flag(help: "Print the status as JSON.")
    var json = false

    @OptionGroup var control: ControlOptions

    func run() throws {
        let response = try control.send(.status)
        guard let status = response.status else {
            printError("backdrop: the daemon sent no status")
            throw ExitStatus.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(status.text)
        }
    }
}

/// `backdrop set background MODE`: changes the running daemon's background at once.
struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a setting of the running daemon.",
        subcommands: [BackgroundSetting.self])

    /// The one live setting people change by hand.
    struct BackgroundSetting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "background",
            abstract: "Set the background: blur, blur:STRENGTH, color:RRGGBB, image:PATH (a path the daemon can read), synth or synth:THEME.",
            discussion: "Lasts until the daemon restarts, or a reload brings a changed background from the file.")

        @Argument(help: "blur, blur:STRENGTH, color:RRGGBB, image:PATH, synth or synth:THEME.")
        var mode: String

        @OptionGroup var control: ControlOptions

        func validate() throws {
            do {
                _ = try BackgroundMode(parsing: mode)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() throws {
            var mode = self.mode
            // The daemon runs elsewhere: a relative picture path means the caller's directory.
            if mode.hasPrefix("image:"), !mode.hasPrefix("image:/") {
                mode = "image:" + FileManager.default.currentDirectoryPath + "/" + mode.dropFirst("image:".count)
            }
            print(try control.send(.setBackground(mode)).message ?? "done")
        }
    }
}

/// `backdrop pause`: the privacy curtain; sinks get the background only.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Privacy curtain: the sinks show the background only, until `backdrop resume`.")

    @OptionGroup var control: ControlOptions

    func run() throws {
        print(try control.send(.pause).message ?? "paused")
    }
}

/// `backdrop resume`: lifts the privacy curtain.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Lift the privacy curtain.")

    @OptionGroup var control: ControlOptions

    func run() throws {
        print(try control.send(.resume).message ?? "resumed")
    }
}
