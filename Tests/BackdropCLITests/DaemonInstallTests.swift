import Foundation
import Testing
import TestSupport

/// scripts/install.sh and uninstall.sh into a temporary prefix, and `systemd-analyze verify`
/// on the units as installed.
@Suite struct DaemonInstallTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func script(_ name: String, _ arguments: [String] = [], _ environment: [String: String]) throws -> BackdropBinary.Result {
        try BackdropBinary.run("/bin/bash", [Self.repository.appendingPathComponent("scripts/\(name)").path] + arguments,
                               environment: DaemonProcess.cleanEnvironment(environment))
    }

    @Test func installsVerifiesAndUninstalls() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("prefix").path, etc = dir.appendingPathComponent("etc").path
        let environment = ["PREFIX": prefix, "SYSCONFDIR": etc, "BACKDROP_BIN": BackdropBinary.path]
        let install = try script("install.sh", [], environment)
        #expect(install.status == 0, "\(install.stderr)")

        let fm = FileManager.default
        #expect(fm.isExecutableFile(atPath: prefix + "/bin/backdrop"))
        #expect(fm.fileExists(atPath: prefix + "/share/backdrop/models/selfie_segmentation_landscape.tflite"))
        #expect(fm.fileExists(atPath: prefix + "/share/doc/backdrop/operations.md"))
        #expect(fm.fileExists(atPath: etc + "/backdrop/backdrop.toml"))
        let system = prefix + "/lib/systemd/system/backdrop.service", user = prefix + "/lib/systemd/user/backdrop.service"
        let unit = try String(contentsOfFile: system, encoding: .utf8)
        #expect(unit.contains("ExecStart=\(prefix)/bin/backdrop run --config \(etc)/backdrop/backdrop.toml"))
        #expect(unit.contains("Environment=BACKDROP_MODELS=\(prefix)/share/backdrop/models"))
        for token in ["@BINDIR@", "@DATADIR@", "@DOCDIR@", "@SYSCONFDIR@"] {
            #expect(!unit.contains(token), "\(token) was left unfilled")
        }

        // The configuration installed from the example is valid.
        let check = try BackdropBinary.run(prefix + "/bin/backdrop", ["config", "check", etc + "/backdrop/backdrop.toml"],
                                           environment: DaemonProcess.cleanEnvironment())
        #expect(check.status == 0, "\(check.stderr)")

        let analyze = "/usr/bin/systemd-analyze"
        #expect(fm.isExecutableFile(atPath: analyze), "systemd-analyze is missing: apt-get install systemd")
        let verifySystem = try BackdropBinary.run(analyze, ["verify", system])
        #expect(verifySystem.status == 0 && verifySystem.stderr.isEmpty, "\(verifySystem.stdout)\(verifySystem.stderr)")
        let verifyUser = try BackdropBinary.run(analyze, ["--user", "verify", user],
                                                environment: ["XDG_RUNTIME_DIR": dir.path, "HOME": dir.path, "PATH": "/usr/bin:/bin"])
        #expect(verifyUser.status == 0 && verifyUser.stderr.isEmpty, "\(verifyUser.stdout)\(verifyUser.stderr)")

        // A configuration the administrator edited survives a reinstall.
        try "# mine\n".write(toFile: etc + "/backdrop/backdrop.toml", atomically: true, encoding: .utf8)
        #expect(try script("install.sh", [], environment).status == 0)
        #expect(try String(contentsOfFile: etc + "/backdrop/backdrop.toml", encoding: .utf8) == "# mine\n")

        let uninstall = try script("uninstall.sh", [], environment)
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(!fm.fileExists(atPath: prefix + "/bin/backdrop"))
        #expect(!fm.fileExists(atPath: system) && !fm.fileExists(atPath: user))
        #expect(!fm.fileExists(atPath: prefix + "/share/backdrop"))
        #expect(fm.fileExists(atPath: etc + "/backdrop/backdrop.toml"), "the configuration is kept")
        #expect(try script("install.sh", [], environment).status == 0)
        #expect(try script("uninstall.sh", ["--purge"], environment).status == 0)
        #expect(!fm.fileExists(atPath: etc + "/backdrop"))
    }

    @Test func stagesUnderDestdirWithThePathsOfThePrefix() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stage = dir.appendingPathComponent("stage").path
        let result = try script("install.sh", [], ["DESTDIR": stage, "PREFIX": "/usr", "BACKDROP_BIN": BackdropBinary.path])
        #expect(result.status == 0, "\(result.stderr)")
        let unit = try String(contentsOfFile: stage + "/usr/lib/systemd/system/backdrop.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/backdrop run --config /etc/backdrop/backdrop.toml"))
        #expect(FileManager.default.fileExists(atPath: stage + "/etc/backdrop/backdrop.toml"))
        #expect(FileManager.default.fileExists(atPath: stage + "/etc/modprobe.d/backdrop-v4l2loopback.conf"))
        let manifest = try String(contentsOfFile: stage + "/usr/share/backdrop/install-manifest.txt", encoding: .utf8)
        #expect(manifest.contains("/usr/bin/backdrop\n") && !manifest.contains(stage))
    }
}
