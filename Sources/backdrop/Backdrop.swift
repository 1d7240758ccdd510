import ArgumentParser

/// The `backdrop` command line: one subcommand per job.
@main
struct Backdrop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backdrop",
        abstract: "Keep the person, replace the background: video calls over a synthesized room.",
        discussion: """
            Exit status: 0 success; 1 a run failed; 64 bad command line or option value; \
            66 the input cannot be opened; 69 something `backdrop doctor` requires is missing, or no \
            daemon answers; 73 the output cannot be created; 77 not allowed to use the control \
            socket; 78 bad configuration.
            """,
        subcommands: [
            RunCommand.self, ConfigCommand.self, StatusCommand.self, SetCommand.self, PauseCommand.self, ResumeCommand.self,
            ProcessCommand.self, ReceiveCommand.self, EncodeCommand.self, DecodeCommand.self,
            DevicesCommand.self, SynthesizeCommand.self, AnalyzeCommand.self, DoctorCommand.self, BenchCommand.self,
        ])
}
