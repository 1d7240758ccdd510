import BackdropCore
import Compositing
@testable import Daemon
import Foundation
import Testing

@Suite struct ConfigurationLoaderTests {
    /// A loader that sees only the given environment, so the machine's BACKDROP_* cannot leak in.
    func load(_ path: String?, environment: [String: String] = [:], overrides: [String: [String]] = [:])
        async throws(ConfigurationError) -> DaemonConfiguration {
        try await ConfigurationLoader(path: path, environment: environment, overrides: overrides, isRoot: true).load()
    }

    func error(_ path: String?, environment: [String: String] = [:], overrides: [String: [String]] = [:]) async
        -> ConfigurationError? {
        do {
            _ = try await load(path, environment: environment, overrides: overrides)
            return nil
        } catch {
            return error
        }
    }

    @Test func theExampleIsValidAndHoldsTheDefaults() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("backdrop.toml", ConfigurationExample.text)
        let config = try await load(path)
        #expect(config.source == "/dev/video0")
        #expect(config.sinks == [.virtualCamera(device: "/dev/video10")])
        #expect(config.background == .blur(strength: BackgroundMode.defaultBlurStrength))
        #expect(config.model == "landscape" && config.threads == 1)
        #expect(config.cameraWidth == 1280 && config.cameraHeight == 720 && !config.onDemand)
        #expect(config.maxFPS == 0 && config.crf == 20)
        #expect(config.controlSocket == "/run/backdrop/control.sock")
        #expect(config.metricsPort == nil)
        #expect(config.file == path)
    }

    @Test func theExampleNamesEveryKey() {
        for key in ConfigurationKey.all {
            let last = String(key.name.split(separator: ".").last!)
            #expect(ConfigurationExample.text.contains("\(last) ="), "\(key.name) is missing from the example")
        }
    }

    @Test func optionsBeatTheEnvironmentWhichBeatsTheFile() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("b.toml", """
            source = "/dev/video0"
            sinks = ["a.mkv"]
            background = "color:FF0000"
            threads = 2
            [rates]
            max_fps = 10
            """)
        let config = try await load(path,
                                    environment: ["BACKDROP_BACKGROUND": "color:00FF00", "BACKDROP_THREADS": "3",
                                                  "BACKDROP_SINKS": "x.mkv;vcam:/dev/video4"],
                                    overrides: ["threads": ["4"]])
        #expect(config.background == .color(red: 0, green: 255, blue: 0))
        #expect(config.threads == 4)
        #expect(config.sinks == [.file(path: "x.mkv"), .virtualCamera(device: "/dev/video4")])
        #expect(config.maxFPS == 10)
    }

    @Test func runsWithoutAFileFromOptionsAlone() async throws {
        let config = try await load(nil, environment: ["XDG_RUNTIME_DIR": "/run/user/1000"],
                                    overrides: ["source": ["lavfi:testsrc2"], "sinks": ["out.mkv"]])
        #expect(config.source == "lavfi:testsrc2")
        #expect(config.file == nil)
        // `load` runs as root: the system socket, whatever XDG_RUNTIME_DIR says.
        #expect(config.controlSocket == "/run/backdrop/control.sock")
        let user = try await ConfigurationLoader(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"],
                                                 overrides: ["source": ["x"], "sinks": ["o.mkv"]], isRoot: false).load()
        #expect(user.controlSocket == "/run/user/1000/backdrop/control.sock")
    }

    @Test func aBadValueNamesItsOriginKeyValueAndWhatIsAllowed() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("b.toml", "source = \"/dev/video0\"\nsinks = [\"o.mkv\"]\nthreads = 0\n")
        let fromFile = await error(path)
        #expect(fromFile == .invalid(origin: path, key: "threads", value: "\"0\"", allowed: "an integer from 1 to 64"))
        #expect(fromFile?.description.contains("key 'threads'") == true)
        let fromEnvironment = await error(path, environment: ["BACKDROP_THREADS": "many"])
        #expect(fromEnvironment?.description.contains("environment variable BACKDROP_THREADS") == true)
        let fromOption = await error(path, overrides: ["threads": ["99"]])
        #expect(fromOption?.description.contains("option --threads") == true)
    }

    @Test func refusesEachKindOfMistake() async throws {
        let dir = try TemporaryDirectory()
        let base = "source = \"/dev/video0\"\nsinks = [\"o.mkv\"]\n"
        let cases: [(String, String)] = [
            ("threds = 2\n", "did you mean 'threads'"),
            ("sinks2 = []\n", "unknown key 'sinks2'"),
            ("[camera]\nwidth = \"wide\"\n", "key 'camera.width' is a string"),
            ("[camera]\nwidth = 641\n", "an integer (even) from 16 to 7680"),
            ("background = \"color:12345\"\n", "color must be 6 hex digits"),
            ("background = \"image:/nonexistent.png\"\n", "/nonexistent.png cannot be read"),
            ("preserve = [\"0.5,0.5,0.6,0.1\"]\n", "fractions of the frame"),
            ("model = \"/nonexistent.tflite\"\n", "readable .tflite file"),
            ("[camera]\non_demand = true\n", "vcam:/dev/videoN sink"),
            ("[rates]\nmax_fps = -1\n", "0 (no cap)"),
            ("[control]\nsocket = \"relative.sock\"\n", "absolute file path"),
            ("[metrics]\nenabled = true\nport = 70000\n", "from 1 to 65535"),
            ("realtime = \"perhaps\"\n", "true or false"),
        ]
        for (index, (extra, message)) in cases.enumerated() {
            // Keys after a table header belong to it; put the base keys first.
            let path = try dir.write("case\(index).toml", base + extra)
            let failure = await error(path)
            #expect(failure?.description.contains(message) == true, "\(extra): \(failure.map { "\($0)" } ?? "accepted")")
        }
    }

    @Test func missingKeysAndFilesAreExplained() async throws {
        let dir = try TemporaryDirectory()
        let noSource = try dir.write("a.toml", "sinks = [\"o.mkv\"]\n")
        #expect(await error(noSource)?.description.contains("key 'source' is missing") == true)
        let noSinks = try dir.write("b.toml", "source = \"x\"\nsinks = []\n")
        #expect(await error(noSinks)?.description.contains("key 'sinks' is missing") == true)
        #expect(await error(dir.path("absent.toml"))?.description.contains("no such file") == true)
        let broken = try dir.write("c.toml", "source = \"x\"\nsinks = [\"o.mkv\"\n")
        guard case let .syntax(path, _)? = await error(broken) else {
            Issue.record("a broken file was not reported as a syntax error")
            return
        }
        #expect(path == broken)
    }

    @Test func sinksAreParsedWithTheSharedSyntaxAndNotRepeated() async throws {
        let parsed = try await load(nil, overrides: ["source": ["x"], "sinks": ["rtp://127.0.0.1:5004?codec=vp9", "o.mkv"]])
        #expect(parsed.sinks == [.rtp(host: "127.0.0.1", port: 5004, options: ["codec": "vp9"]), .file(path: "o.mkv")])
        let repeated = await error(nil, overrides: ["source": ["x"], "sinks": ["o.mkv", "o.mkv"]])
        #expect(repeated?.description.contains("each sink once") == true)
        let bad = await error(nil, overrides: ["source": ["x"], "sinks": ["ftp://host/x"]])
        #expect(bad?.description.contains("unknown scheme") == true)
    }

    @Test func suggestsTheKeyThatWasMeant() {
        #expect(ConfigurationLoader.suggestion(for: "backround") == "background")
        #expect(ConfigurationLoader.suggestion(for: "width") == "camera.width")
        #expect(ConfigurationLoader.suggestion(for: "completely_unrelated") == nil)
    }
}

@Suite struct InstalledExampleTests {
    /// systemd/backdrop.toml.example is what install.sh puts in /etc: it must be the example the binary prints.
    @Test func theInstalledExampleIsTheBuiltInOne() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: repository.appendingPathComponent("systemd/backdrop.toml.example"), encoding: .utf8)
        #expect(file == ConfigurationExample.text, "regenerate it: backdrop config example > systemd/backdrop.toml.example")
    }
}
