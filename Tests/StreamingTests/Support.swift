import BackdropCore
import Foundation
import Logging
import Media
import Streaming
import TestSupport

/// `count` frames of ffmpeg's testsrc2 (a moving pattern with a frame counter: every frame differs).
func testFrames(count: Int, width: Int = 320, height: Int = 240, rate: Int = 30, source: String = "testsrc2") throws -> [VideoFrame] {
    let reader = try MediaReader(url: "lavfi:\(source)=size=\(width)x\(height):rate=\(rate)", logger: recordingLogger().0)
    var frames: [VideoFrame] = []
    while frames.count < count, let item = try reader.next() {
        if case .video(let frame) = item { frames.append(frame) }
    }
    return frames
}

/// The sent frame a received one shows, searching `candidates` (indices into `sent`): its index
/// and PSNR.
func bestMatch(_ frame: VideoFrame, in sent: [VideoFrame], candidates: some Sequence<Int>) -> (index: Int, psnr: Double) {
    var best = (index: -1, psnr: -Double.infinity)
    for index in candidates where sent.indices.contains(index) {
        let psnr = lumaPSNR(frame, sent[index])
        if psnr > best.psnr { best = (index, psnr) }
    }
    return best
}

/// Matches received frames to sent ones: the first by a full search, the rest near where its
/// timestamp says (RTP timestamps are relative to the first packet received).
func matchFrames(_ received: [VideoFrame], to sent: [VideoFrame], ticksPerFrame: Double) -> [(index: Int, psnr: Double)] {
    guard let first = received.first else { return [] }
    let anchor = bestMatch(first, in: sent, candidates: sent.indices)
    return received.map { frame in
        let offset = Double(frame.pts - first.pts) / ticksPerFrame
        let guess = anchor.index + Int(offset.rounded())
        return bestMatch(frame, in: sent, candidates: (guess - 2)...(guess + 2))
    }
}

/// A random even port (RTP on it, RTCP on the next) from a high range.
func randomPort() -> Int { Int.random(in: 10_000..<30_000) * 2 }

/// Runs `body` with fresh ports until one is free (tries `attempts` times).
func withFreePort<T>(attempts: Int = 6, _ body: (Int) throws -> T) throws -> T {
    var lastError: Error?
    for _ in 0..<attempts {
        let port = randomPort()
        guard !isUDPPortBound(port), !isUDPPortBound(port + 1) else { continue }
        do {
            return try body(port)
        } catch {
            lastError = error
            guard "\(error)".localizedCaseInsensitiveContains("address already in use") else { throw error }
        }
    }
    throw lastError ?? PortsExhausted()
}

struct PortsExhausted: Error {}

/// Whether some socket on this machine is bound to UDP `port` (IPv4 or IPv6).
func isUDPPortBound(_ port: Int) -> Bool {
    let hex = String(format: ":%04X ", port)
    for table in ["/proc/net/udp", "/proc/net/udp6"] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > 1, (String(fields[1]) + " ").hasSuffix(hex) { return true }
        }
    }
    return false
}

/// Polls `condition` every 20 ms for at most `seconds`.
@discardableResult
func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
    let end = MonotonicClock.now() + seconds
    while MonotonicClock.now() < end {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// An ffmpeg process run in the background, killed if it outlives its time.
final class FFmpegProcess {
    let process = Process()
    let stderrPath: String

    init(_ arguments: [String], stderrPath: String) throws {
        self.stderrPath = stderrPath
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-hide_banner", "-nostdin", "-y"] + arguments
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Waits at most `seconds`; terminates the process when it is still running then.
    /// Returns its exit status, or nil when it had to be stopped.
    func wait(seconds: Double) -> Int32? {
        if waitFor(seconds: seconds, { !process.isRunning }) { return process.terminationStatus }
        process.terminate()
        _ = waitFor(seconds: 5) { !process.isRunning }
        return nil
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

/// Frames from a raw yuv420p file.
func readRawFrames(_ path: String, width: Int, height: Int) throws -> [VideoFrame] {
    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let luma = width * height, chroma = luma / 4, size = luma + 2 * chroma
    return stride(from: 0, to: data.count - size + 1, by: size).enumerated().map { number, start in
        VideoFrame(width: width, height: height, y: Array(data[start..<start + luma]),
                   u: Array(data[start + luma..<start + luma + chroma]),
                   v: Array(data[start + luma + chroma..<start + size]), pts: Int64(number))
    }
}

/// Collects frames from a receiver until it ends, `frames` arrived, or `silences` timeouts passed.
func receive(from receiver: RTPReceiver, frames limit: Int, silences: Int) throws -> [VideoFrame] {
    var frames: [VideoFrame] = []
    var quiet = 0
    while frames.count < limit, quiet < silences, let event = try receiver.next() {
        switch event {
        case .frame(let frame): frames.append(frame)
        case .unavailable: quiet += 1
        }
    }
    return frames
}

