import Foundation
import TestSupport

/// The LD_PRELOAD stand-in for v4l2loopback (Tests/Support/fake_v4l2loopback.c), compiled with
/// the system C compiler at test time.
enum PreloadedLoopback {
    static let compiler = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let ffmpeg = "/usr/bin/ffmpeg"
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/fake_v4l2loopback.c")
    /// The device path the shim pretends to be.
    static let device = "/dev/backdrop-fake-video10"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Compiles the shim into `directory`; returns the library's path.
    static func build(in directory: URL) throws -> String {
        let library = directory.appendingPathComponent("fake_v4l2loopback.so").path
        guard let compiler else { throw Failure(description: "no C compiler (cc, gcc or clang): run scripts/setup.sh") }
        let result = try BackdropBinary.run(compiler, ["-shared", "-fPIC", "-O1", "-o", library, source.path, "-ldl"],
                                            timeout: 120)
        guard result.status == 0 else { throw Failure(description: "compiling the shim failed: \(result.stderr)") }
        return library
    }

    /// This process's environment plus what makes `device` a loopback whose frames go to `fifo`.
    static func environment(library: String, fifo: String, caps: String = "output", log: String? = nil) -> [String: String] {
        var environment = ["LD_PRELOAD": library, "BACKDROP_FAKE_V4L2_DEVICE": device,
                           "BACKDROP_FAKE_V4L2_FIFO": fifo, "BACKDROP_FAKE_V4L2_CAPS": caps]
        if let log { environment["BACKDROP_FAKE_V4L2_LOG"] = log }
        return ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
}
