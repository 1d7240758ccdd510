import Capture
import Foundation
import Testing

/// The `backdrop` executable next to this test bundle (or `BACKDROP_BIN`), found as
/// Tests/BackdropCLITests/BackdropBinary.swift does.
enum BackdropCommand {
    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["BACKDROP_BIN"], !explicit.isEmpty { return explicit }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("backdrop").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("backdrop").path
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-devices-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: output), as: UTF8.self))
    }

}

/// `backdrop devices` as a user runs it, on this machine.
@Suite("backdrop devices")
struct DevicesCommandTests {
    @Test func listsThisMachinesDevicesAndExitsZero() throws {
        let paths = LibV4L2Provider().devicePaths()
        let (status, output) = try BackdropCommand.run(["devices"])
        #expect(status == 0)
        if paths.isEmpty {
            #expect(output.contains("no video devices"))
            #expect(output.contains("modprobe v4l2loopback"))
        } else {
            #expect(paths.allSatisfy { output.contains($0) })
        }
        let (jsonStatus, json) = try BackdropCommand.run(["devices", "--json"])
        #expect(jsonStatus == 0)
        let decoded = try JSONDecoder().decode([VideoDeviceInfo].self, from: Data(json.utf8))
        #expect(decoded.map(\.path) == paths)
    }
}
