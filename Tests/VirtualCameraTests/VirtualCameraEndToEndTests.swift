import Foundation
import Testing
import TestSupport

/// The real `backdrop process` writes to a virtual camera through the real sink code path
/// (Glibc open/ioctl/write); an LD_PRELOAD library plays the v4l2loopback driver and hands the
/// bytes to a FIFO, where an ffmpeg process reads them as a call app would.
@Suite("Virtual camera end to end")
struct VirtualCameraEndToEndTests {
    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-vcam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    private func split(_ path: URL, every size: Int) throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: path))
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<$0 + size]) }
    }

    @Test func framesReachAnFFmpegReaderExactly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let library = try PreloadedLoopback.build(in: dir)
        let fifo = dir.appendingPathComponent("frames.fifo"), log = dir.appendingPathComponent("driver.log")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let (width, height, count) = (320, 240, 30)

        // The reader, like a call app: raw YUYV at the size the driver was given.
        let received = dir.appendingPathComponent("received.yuyv")
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: PreloadedLoopback.ffmpeg)
        reader.arguments = ["-v", "error", "-nostdin", "-f", "rawvideo", "-pix_fmt", "yuyv422", "-s", "\(width)x\(height)",
                            "-i", fifo.path, "-f", "rawvideo", "-y", received.path]
        reader.standardInput = FileHandle.nullDevice
        try reader.run()

        // The same frames also go to a lossless file, to compare what the camera showed.
        let recorded = dir.appendingPathComponent("recorded.y4m")
        let run = try BackdropBinary.run(
            ["process", "lavfi:testsrc2=size=\(width)x\(height):rate=30:duration=1",
             "vcam:" + PreloadedLoopback.device, recorded.path],
            environment: PreloadedLoopback.environment(library: library, fifo: fifo.path, log: log.path), timeout: 120)
        // If backdrop never opened the device, the reader still waits for a writer: be one, briefly.
        // (Opening fails while the reader has not opened its end yet: retry until it has or is gone.)
        for _ in 0..<500 where reader.isRunning {
            let unblock = open(fifo.path, O_WRONLY | O_NONBLOCK)
            if unblock >= 0 {
                close(unblock)
                break
            }
            usleep(10_000)
        }
        if !BackdropBinary.wait(for: reader, timeout: 30) {
            Issue.record("the ffmpeg reader never saw the end of the stream")
        }
        #expect(run.status == 0, "backdrop process failed: \(run.stderr)")
        #expect(reader.terminationStatus == 0)
        #expect(try String(contentsOf: log, encoding: .utf8) == "S_FMT \(width)x\(height) YUYV\n")

        let planar = dir.appendingPathComponent("recorded.yuv")
        let convert = try BackdropBinary.run(PreloadedLoopback.ffmpeg, ["-v", "error", "-nostdin", "-i", recorded.path,
                                                                            "-f", "rawvideo", "-pix_fmt", "yuv420p", planar.path],
                                             timeout: 120)
        #expect(convert.status == 0)
        let camera = try split(received, every: width * height * 2)
        let file = try split(planar, every: width * height * 3 / 2)
        #expect(camera.count == count)
        #expect(file.count == count)

        // YUYV is the recorded yuv420p repacked: luma exact, each chroma row serving two lines.
        let cw = width / 2, uOffset = width * height, vOffset = uOffset + cw * height / 2
        var mismatches = 0
        for (yuyv, yuv) in zip(camera, file) {
            for row in 0..<height {
                for pair in 0..<cw {
                    let at = row * width * 2 + pair * 4, c = (row / 2) * cw + pair
                    if yuyv[at] != yuv[row * width + 2 * pair] || yuyv[at + 2] != yuv[row * width + 2 * pair + 1]
                        || yuyv[at + 1] != yuv[uOffset + c] || yuyv[at + 3] != yuv[vOffset + c] {
                        mismatches += 1
                    }
                }
            }
        }
        #expect(mismatches == 0)
        // Not a still: the pictures change over the second.
        #expect(camera.first != camera.last)
    }

    @Test func aCameraNodeIsRefusedWithTheCommandThatFixesIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let library = try PreloadedLoopback.build(in: dir)
        let run = try BackdropBinary.run(
            ["process", "lavfi:testsrc2=size=320x240:rate=30:duration=1", "vcam:" + PreloadedLoopback.device],
            environment: PreloadedLoopback.environment(library: library, fifo: "/dev/null", caps: "camera"), timeout: 120)
        #expect(run.status != 0)
        #expect(run.stderr.contains("is not a v4l2loopback output device"))
        #expect(run.stderr.contains("sudo modprobe v4l2loopback video_nr=10"))
    }
}
