import ArgumentParser

extension ExitStatus {
    /// EX_CONFIG: the configuration is wrong; systemd does not restart on it (RestartPreventExitStatus=78).
    static let config = ExitCode(78)
    /// EX_NOPERM: not allowed to use the control socket.
    static let noPermission = ExitCode(77)
}
