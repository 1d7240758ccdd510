import ArgumentParser
import Diagnostics
import Foundation

/// `backdrop doctor`: what this machine has, what is missing, and the command that fixes it.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check libraries, models, CPU and devices; exit 69 when something required is missing.")

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func run() throws {
        let checks = SystemDoctor().run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(checks), as: UTF8.self))
        } else {
            for check in checks {
                let mark = switch check.status { case .ok: "ok  "; case .warning: "warn"; case .missing: "MISS" }
                print("\(mark)  \(check.area.padding(toLength: 8, withPad: " ", startingAt: 0)) \(check.name): \(check.detail)")
                if let fix = check.fix, check.status != .ok { print("        fix: \(fix)") }
            }
        }
        let missing = checks.filter { $0.status == .missing }
        if !missing.isEmpty {
            if !json { print("\(missing.count) required item(s) missing.") }
            throw ExitStatus.unavailable
        }
    }
}
