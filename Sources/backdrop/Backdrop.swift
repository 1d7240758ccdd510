import ArgumentParser

/// The `backdrop` command line: one subcommand per job.
@main
struct Backdrop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backdrop",
        abstract: "Keep the person, replace the background: video calls over a synthesized room.",
        subcommands: [])
}
