import BackdropCore
import Foundation

/// Camera frames made by the ffmpeg CLI from a lavfi test pattern: the yuv420p reference and
/// the same pictures as a camera would send them (YUYV, NV12, YU12, MJPEG).
struct FFmpegFrames {
    let width: Int
    let height: Int
    /// The pictures as yuv420p, what a perfect capture would return.
    let reference: [VideoFrame]
    /// Tight (unpadded) camera payloads, one per frame, by fourcc.
    let payloads: [String: [[UInt8]]]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let ffmpegPath = "/usr/bin/ffmpeg"

    init(width: Int, height: Int, count: Int) throws {
        self.width = width
        self.height = height
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let size = "\(width)x\(height)"
        let reference = dir.appendingPathComponent("reference.yuv").path
        // Noise makes the picture webcam-like and keeps JPEG from being trivially perfect.
        try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=30,noise=alls=12:allf=t",
                         "-frames:v", "\(count)", "-pix_fmt", "yuv420p", "-f", "rawvideo", reference])
        let raw = ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", size, "-i", reference]
        var payloads: [String: [[UInt8]]] = [:]
        for (fourcc, pixelFormat, bytesPerFrame) in [("YUYV", "yuyv422", width * height * 2),
                                                     ("NV12", "nv12", width * height * 3 / 2),
                                                     ("YU12", "yuv420p", width * height * 3 / 2)] {
            let path = dir.appendingPathComponent(fourcc).path
            try Self.ffmpeg(raw + ["-pix_fmt", pixelFormat, "-f", "rawvideo", path])
            payloads[fourcc] = try Self.split(Data(contentsOf: URL(fileURLWithPath: path)), every: bytesPerFrame)
        }
        // Webcams send 4:2:2 full-range JPEG.
        try Self.ffmpeg(raw + ["-pix_fmt", "yuvj422p", "-q:v", "3", "-f", "image2",
                               dir.appendingPathComponent("frame%03d.jpg").path])
        payloads["MJPG"] = try (1...count).map { index in
            [UInt8](try Data(contentsOf: dir.appendingPathComponent(String(format: "frame%03d.jpg", index))))
        }
        self.payloads = payloads
        let planes = try Self.split(Data(contentsOf: URL(fileURLWithPath: reference)), every: width * height * 3 / 2)
        let lumaCount = width * height, chromaCount = lumaCount / 4
        self.reference = planes.map { bytes in
            VideoFrame(width: width, height: height, y: Array(bytes[0..<lumaCount]),
                       u: Array(bytes[lumaCount..<lumaCount + chromaCount]),
                       v: Array(bytes[lumaCount + chromaCount..<lumaCount + 2 * chromaCount]))
        }
    }

    static func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpegPath)
        process.arguments = ["-v", "error", "-nostdin", "-y"] + arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "ffmpeg \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }

    private static func split(_ data: Data, every size: Int) throws -> [[UInt8]] {
        guard data.count % size == 0, data.count > 0 else {
            throw Failure(description: "ffmpeg wrote \(data.count) bytes, not a multiple of \(size)")
        }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<$0 + size]) }
    }
}

/// Picture comparisons.
enum Quality {
    /// Peak signal-to-noise ratio of two planes in dB (infinity when identical).
    static func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count)
        var sum = 0.0
        for index in a.indices {
            let d = Double(a[index]) - Double(b[index])
            sum += d * d
        }
        let mse = sum / Double(a.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    static func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }
}
