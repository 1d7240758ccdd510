import BackdropCore
import Foundation
import Logging
import Media
import TestSupport

let testLogger = recordingLogger().0

/// Runs a command-line tool (ffmpeg, ffprobe) and returns its standard output as text.
@discardableResult
func run(_ tool: String, _ arguments: [String]) throws -> String {
    String(decoding: try runForBytes(tool, arguments), as: UTF8.self)
}

/// Runs a command-line tool and returns its standard output.
func runForBytes(_ tool: String, _ arguments: [String]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ToolFailure(command: ([tool] + arguments).joined(separator: " "), status: process.terminationStatus)
    }
    return [UInt8](data)
}

struct ToolFailure: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    var description: String { "'\(command)' exited with \(status)" }
}

/// How many packets the first audio stream of `path` has, according to ffprobe.
func audioPacketCount(_ path: String) throws -> Int? {
    let text = try run("ffprobe", ["-v", "error", "-select_streams", "a:0", "-count_packets",
                                   "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path])
    return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Everything a reader yields.
func readAll(_ url: String, logger: Logger = testLogger) throws -> (MediaReader, [VideoFrame], [EncodedPacket]) {
    let reader = try MediaReader(url: url, logger: logger)
    var frames: [VideoFrame] = []
    var packets: [EncodedPacket] = []
    while let item = try reader.next() {
        switch item {
        case .video(let frame): frames.append(frame)
        case .audio(let packet): packets.append(packet)
        }
    }
    return (reader, frames, packets)
}

/// Copies `frames` (and `packets`) into a new file.
func writeAll(_ frames: [VideoFrame], packets: [EncodedPacket] = [], from reader: MediaReader, to path: String,
              logger: Logger = testLogger) throws -> MediaWriter {
    let writer = try MediaWriter(path: path, width: reader.width, height: reader.height,
                                 frameRate: reader.frameRate, timeBase: reader.timeBase,
                                 audio: reader.audioStreamParameters, logger: logger)
    for frame in frames { try writer.write(frame) }
    for packet in packets { try writer.write(packet) }
    try writer.finish()
    return writer
}

let testSource = "lavfi:testsrc2=size=320x240:rate=25:duration=1"
