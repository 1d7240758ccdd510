@testable import Daemon
import Pipeline
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ControlSocketTests {
    @Test func requestsParseAndPrintTheSameWay() throws {
        for request in [ControlRequest.status, .pause, .resume, .setBackground("color:00FF00"), .setBackground("image:/a b.png")] {
            #expect(try ControlRequest(parsing: request.description) == request)
        }
        #expect(throws: ControlRequest.ParseError.self) { try ControlRequest(parsing: "reboot") }
        #expect(throws: ControlRequest.ParseError.self) { try ControlRequest(parsing: "set colour red") }
        #expect(throws: ControlRequest.ParseError.self) { try ControlRequest(parsing: "status now") }
    }

    /// A listener that answers each request line with its echo, served on a thread until stopped.
    func serveEcho(at path: String) throws -> (SocketListener, Thread) {
        let listener = try SocketListener.unix(path: path)
        let thread = Thread {
            listener.serve { connection in
                let line = connection.read(until: [10], limit: 4096).map { String(decoding: $0, as: UTF8.self) } ?? "nothing"
                let response = ControlResponse(ok: true, message: line.trimmingCharacters(in: .newlines))
                connection.write(Array((try? JSONEncoder().encode(response)) ?? Data()) + [10])
            }
        }
        thread.start()
        return (listener, thread)
    }

    @Test func aClientGetsItsAnswerOverTheSocket() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("run/backdrop/control.sock")
        let (listener, _) = try serveEcho(at: path)
        defer { listener.stop() }
        let answer = try ControlClient.send(.setBackground("blur:3"), to: path)
        #expect(answer.ok && answer.message == "set background blur:3")
        // Owner and group only.
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
    }

    @Test func aSecondDaemonIsRefusedAndAStaleSocketReplaced() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("control.sock")
        let (listener, _) = try serveEcho(at: path)
        #expect(throws: SocketListener.Failure.self) { _ = try SocketListener.unix(path: path) }
        listener.stop()
        // Wait for the serving thread to close and unlink (it polls every 200 ms).
        for _ in 0..<50 where FileManager.default.fileExists(atPath: path) { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!FileManager.default.fileExists(atPath: path), "the socket file is removed when serving ends")

        // A socket file with nobody behind it (a crashed daemon) is replaced.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(try #require(UnixSocketAddress(path: path)).withSockaddr { bind(fd, $0, $1) } == 0)
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path))
        let (replacement, _) = try serveEcho(at: path)
        defer { replacement.stop() }
        #expect(try ControlClient.send(.status, to: path).message == "status")
    }

    @Test func noDaemonIsReportedWithAHint() {
        do {
            _ = try ControlClient.send(.status, to: "/nonexistent/backdrop.sock")
            Issue.record("a request to no daemon succeeded")
        } catch {
            #expect(error.description.contains("is it running?"))
        }
    }

    @Test func theClientFindsTheUsersDaemonBeforeTheSystemOne() throws {
        let dir = try TemporaryDirectory()
        #expect(ControlClient.defaultPath(environment: ["BACKDROP_CONTROL_SOCKET": "/x.sock"]) == "/x.sock")
        #expect(ControlClient.defaultPath(environment: ["XDG_RUNTIME_DIR": dir.url.path]) == "/run/backdrop/control.sock")
        let path = dir.path("backdrop/control.sock")
        let (listener, _) = try serveEcho(at: path)
        defer { listener.stop() }
        #expect(ControlClient.defaultPath(environment: ["XDG_RUNTIME_DIR": dir.url.path]) == path)
    }

    @Test func statusTravelsAsJSON() throws {
        let status = DaemonStatus(pid: 42, uptimeSeconds: 3725, ready: true, paused: true, fps: 29.5, camera: "unavailable",
                                  cameraDetail: "unplugged", source: "/dev/video0", sinks: ["vcam:/dev/video10"],
                                  background: "blur:2.5", configFile: "/etc/backdrop/backdrop.toml",
                                  pendingRestart: ["sinks"], stages: [])
        let data = try JSONEncoder().encode(ControlResponse(ok: true, status: status))
        let back = try JSONDecoder().decode(ControlResponse.self, from: data)
        #expect(back.status?.pid == 42 && back.status?.cameraDetail == "unplugged" && back.status?.pendingRestart == ["sinks"])
        let text = status.text
        #expect(text.contains("paused") && text.contains("up 1h02m") && text.contains("unavailable (unplugged)"))
        #expect(text.contains("restart needed to apply: sinks"))
    }

    @Test func statusShowsWhatASinkSentByCategory() throws {
        let json = """
            {"name":"sink selective:rtp://127.0.0.1:5004","framesIn":300,"framesOut":300,"dropped":0,"errors":0,
             "cpuSeconds":0.3,"latency":{"count":1,"median":0.004,"p90":0.005,"p99":0.006,"mean":0.004,"min":0.004,"max":0.006},
             "bytes":{"picture":1234567,"mask":23456,"scene":480}}
            """
        let sink = try JSONDecoder().decode(StageStats.Snapshot.self, from: Data(json.utf8))
        let status = DaemonStatus(pid: 1, uptimeSeconds: 10, ready: true, paused: false, fps: 30, camera: "active",
                                  cameraDetail: nil, source: "/dev/video0", sinks: [sink.name], background: "synth",
                                  configFile: nil, pendingRestart: [], stages: [sink])
        #expect(status.text.contains("  sent: mask 23.5 kB, picture 1.2 MB, scene 480 B"), "\(status.text)")
    }
}
