import ArgumentParser

/// The documented exit statuses (BSD sysexits values, as service managers expect).
enum ExitStatus {
    static let failure = ExitCode(1)
    static let usage = ExitCode(64)
    static let noInput = ExitCode(66)
    static let unavailable = ExitCode(69)
    static let cannotCreate = ExitCode(73)
}
