import BackdropCore
import Foundation
import Logging
import Media
import Testing
import TestSupport

/// `backdrop run` as systemd would run it: the real binary, a synthetic camera paced in real
/// time, a file sink, a fake notify socket, signals. Every wait is bounded; a hung daemon fails
/// the test and is killed.
@Suite(.serialized) struct DaemonRunTests {
    static let camera = "lavfi:testsrc2=size=320x240:rate=15"

    func frames(_ path: String) throws -> [VideoFrame] {
        let reader = try MediaReader(url: path, logger: Logger(label: "test"))
        var frames: [VideoFrame] = []
        while let item = try reader.next() { if case let .video(frame) = item { frames.append(frame) } }
        return frames
    }

    func meanLuma(_ frame: VideoFrame) -> Double {
        Double(frame.y.reduce(0) { $0 + Int($1) }) / Double(frame.y.count)
    }

    // BT.601 limited range: green 00FF00 is Y 145, blue 0000FF is Y 41. testsrc2 holds no person,
    // so the output is the background colour.
    static let green = 145.0
    static let blue = 41.0

    @Test func notifiesSystemdAnswersStatusAndStopsCleanly() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let notify = try FakeNotifySocket(directory: dir)
        let out = dir.appendingPathComponent("out.mkv").path
        let socket = dir.appendingPathComponent("control.sock").path
        let port = DaemonTestSupport.freePort()
        let daemon = try DaemonProcess(
            ["run", "--source", Self.camera, "--realtime", "--sink", out, "--background", "color:00FF00",
             "--control-socket", socket, "--metrics-port", "\(port)"],
            environment: DaemonProcess.cleanEnvironment(["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1500000"]),
            directory: dir)

        #expect(notify.waitFor("READY=1", timeout: 60), "no READY=1; log:\n\(daemon.log)")
        #expect(notify.waitFor("WATCHDOG=1", timeout: 30), "no WATCHDOG=1; log:\n\(daemon.log)")
        if let ready = notify.firstIndex(of: "READY=1"), let ping = notify.firstIndex(of: "WATCHDOG=1") {
            #expect(ready < ping, "the watchdog was pinged before READY=1: \(notify.messages)")
        }

        let status = try DaemonTestSupport.status(socket: socket)
        #expect(status?["ready"] as? Bool == true, "\(String(describing: status))")
        #expect(status?["camera"] as? String == "active")
        #expect(status?["background"] as? String == "color:00FF00")
        #expect((status?["stages"] as? [[String: Any]])?.contains { $0["name"] as? String == "sink \(out)" } == true)
        let text = try BackdropBinary.run(["status", "--socket", socket])
        #expect(text.status == 0 && text.stdout.contains("camera:     active"), "\(text.stdout)\(text.stderr)")

        let pause = try BackdropBinary.run(["pause", "--socket", socket])
        #expect(pause.status == 0, "\(pause.stderr)")
        #expect(try DaemonTestSupport.status(socket: socket)?["paused"] as? Bool == true)
        #expect(try BackdropBinary.run(["resume", "--socket", socket]).status == 0)
        #expect(try DaemonTestSupport.status(socket: socket)?["paused"] as? Bool == false)

        let metrics = DaemonTestSupport.httpGet(port: port, path: "/metrics") ?? ""
        #expect(metrics.hasPrefix("HTTP/1.1 200"), "\(metrics.prefix(200))")
        #expect(metrics.contains("backdrop_stage_frames_in_total{stage=\"source\"}"), "\(metrics)")

        Thread.sleep(forTimeInterval: 1)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 30) == 0, "log:\n\(daemon.log)")
        #expect(notify.waitFor("STOPPING=1", timeout: 1))
        #expect(!FileManager.default.fileExists(atPath: socket), "the control socket is removed on exit")

        let output = try frames(out)
        #expect(output.count >= 15, "\(output.count) frames")
        if let last = output.last { #expect(abs(meanLuma(last) - Self.green) < 8, "mean luma \(meanLuma(last))") }
        let probe = try BackdropBinary.run("/usr/bin/ffprobe", ["-v", "error", "-count_frames", "-show_entries",
                                                                 "stream=nb_read_frames", "-of", "csv=p=0", out])
        #expect(probe.status == 0 && Int(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == output.count,
                "\(probe.stdout) \(probe.stderr)")
    }

    @Test func reloadChangesTheBackgroundAndKeepsItOnABrokenFile() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let notify = try FakeNotifySocket(directory: dir)
        let out = dir.appendingPathComponent("out.mkv").path
        let socket = dir.appendingPathComponent("control.sock").path
        let config = dir.appendingPathComponent("backdrop.toml").path
        func write(_ background: String) throws {
            try """
                source = "\(Self.camera)"
                realtime = true
                sinks = ["\(out)"]
                background = "\(background)"
                [control]
                socket = "\(socket)"
                """.write(toFile: config, atomically: true, encoding: .utf8)
        }
        try write("color:00FF00")
        let daemon = try DaemonProcess(["run", "--config", config],
                                       environment: DaemonProcess.cleanEnvironment(["NOTIFY_SOCKET": notify.path]),
                                       directory: dir)
        #expect(notify.waitFor("READY=1", timeout: 60), "log:\n\(daemon.log)")
        Thread.sleep(forTimeInterval: 1)

        try write("color:0000FF")
        daemon.signal(SIGHUP)
        #expect(try DaemonTestSupport.waitForStatus(socket: socket, timeout: 20) { $0["background"] as? String == "color:0000FF" },
                "log:\n\(daemon.log)")
        Thread.sleep(forTimeInterval: 1)

        // A typo that makes toml++ abort its process: the parser runs in a child, the daemon carries on.
        try "source = \"\(Self.camera)\"\nbackground = \"color:FF0000\"\n[,sinks]\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(daemon.waitForLog("keeping the running configuration", timeout: 20), "log:\n\(daemon.log)")
        #expect(daemon.log.contains("not valid TOML"))
        Thread.sleep(forTimeInterval: 1)
        #expect(try DaemonTestSupport.status(socket: socket)?["background"] as? String == "color:0000FF")

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 30) == 0, "log:\n\(daemon.log)")
        let lumas = try frames(out).map(meanLuma)
        #expect(lumas.count >= 30, "\(lumas.count) frames")
        guard let firstBlue = lumas.firstIndex(where: { abs($0 - Self.blue) < 8 }) else {
            Issue.record("no frame turned blue after the reload: \(lumas)")
            return
        }
        #expect(firstBlue > 5, "the first frames are green")
        #expect(lumas[..<firstBlue].allSatisfy { abs($0 - Self.green) < 8 }, "\(lumas)")
        // Blue from the reload to the end: the broken file changed nothing.
        #expect(lumas[firstBlue...].allSatisfy { abs($0 - Self.blue) < 8 }, "\(lumas)")
    }

    @Test func badConfigurationsExitWith78AndNameTheKey() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, [String])] = [
            ("source = \"/dev/video0\"\nsinks = [\"o.mkv\"]\nthreads = 0\n", ["key 'threads' = \"0\"", "from 1 to 64"]),
            ("source = \"/dev/video0\"\nsinks = [\"o.mkv\"]\nbackgrund = \"blur\"\n", ["unknown key 'backgrund'", "did you mean 'background'"]),
            ("source = \"/dev/video0\"\nsinks = [\"o.mkv\"]\nbackground = \"colour:red\"\n", ["key 'background'", "RRGGBB"]),
            ("source = \"/dev/video0\"\nsinks = [\"ftp://x\"]\n", ["key 'sinks'", "unknown scheme"]),
            ("sinks = [\"o.mkv\"]\n", ["key 'source' is missing"]),
            ("source = \"/dev/video0\"\nsinks = [\"o.mkv\"\n", ["not valid TOML: line"]),
            ("source = \"/dev/video0\"\nsinks = [}\n", ["not valid TOML"]),
        ]
        let environment = DaemonProcess.cleanEnvironment()
        for (index, (text, messages)) in cases.enumerated() {
            let path = dir.appendingPathComponent("bad\(index).toml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            for arguments in [["config", "check", path], ["run", "--config", path]] {
                let result = try BackdropBinary.run(arguments, environment: environment)
                #expect(result.status == 78, "\(arguments) gave \(result.status): \(result.stderr)")
                for message in messages {
                    #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
                }
            }
        }
        let noFile = try BackdropBinary.run(["run", "--config", dir.appendingPathComponent("absent.toml").path],
                                            environment: environment)
        #expect(noFile.status == 78 && noFile.stderr.contains("no such file"), "\(noFile.stderr)")
        let badOption = try BackdropBinary.run(["run", "--source", "x", "--sink", "o.mkv", "--threads", "100",
                                                "--config", dir.appendingPathComponent("bad0.toml").path],
                                               environment: environment)
        #expect(badOption.status == 78 && badOption.stderr.contains("option --threads"), "\(badOption.stderr)")
    }

    @Test func theExampleConfigurationChecksOut() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = try BackdropBinary.run(["config", "example"])
        #expect(example.status == 0 && example.stdout.contains("[camera]"))
        let path = dir.appendingPathComponent("backdrop.toml").path
        try example.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let check = try BackdropBinary.run(["config", "check", path], environment: DaemonProcess.cleanEnvironment())
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("background = blur:2.5  (live on reload)"), "\(check.stdout)")
    }

    /// A boot without the camera: still READY (no start timeout), status says why, and the
    /// sinks get the background with the "camera unavailable" card.
    @Test func aMissingCameraShowsTheCardAndStillStarts() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let notify = try FakeNotifySocket(directory: dir)
        let out = dir.appendingPathComponent("out.mkv").path
        let socket = dir.appendingPathComponent("control.sock").path
        let daemon = try DaemonProcess(
            ["run", "--source", "/dev/video99", "--sink", out, "--background", "color:00FF00", "--control-socket", socket],
            environment: DaemonProcess.cleanEnvironment(["NOTIFY_SOCKET": notify.path, "BACKDROP_CAMERA_WIDTH": "320",
                                                         "BACKDROP_CAMERA_HEIGHT": "240"]),
            directory: dir)
        #expect(notify.waitFor("READY=1", timeout: 60), "log:\n\(daemon.log)")
        let status = try DaemonTestSupport.status(socket: socket)
        #expect(status?["camera"] as? String == "unavailable", "\(String(describing: status))")
        #expect((status?["cameraDetail"] as? String)?.contains("/dev/video99") == true, "\(String(describing: status))")
        Thread.sleep(forTimeInterval: 1.5)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 30) == 0, "log:\n\(daemon.log)")
        let output = try frames(out)
        #expect(output.count >= 3, "\(output.count) frames")
        guard let frame = output.last else { return }
        #expect(frame.width == 320 && frame.height == 240)
        let dark = frame.y.filter { $0 < 70 }.count, bright = frame.y.filter { $0 > 200 }.count
        let background = frame.y.filter { abs(Double($0) - Self.green) < 10 }.count
        #expect(Double(background) / Double(frame.y.count) > 0.5, "the background is around the card")
        #expect(Double(dark) / Double(frame.y.count) > 0.03, "a dark panel: \(dark) pixels")
        #expect(bright > 50, "light lettering: \(bright) pixels")
    }
}
