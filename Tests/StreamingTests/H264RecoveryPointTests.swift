import Foundation
@testable import Streaming
import Testing
import TestSupport

@Suite("H.264 recovery points")
struct H264RecoveryPointTests {
    static func marks(_ bytes: [UInt8]) -> H264RecoveryPoint.Marks {
        bytes.withUnsafeBufferPointer { H264RecoveryPoint.marks(in: $0) }
    }

    /// x264's intra refresh: an IDR first, then recovery points saying how many frames a full
    /// refresh takes (for 320 pixels, 20 macroblock columns: 18 after the one carrying it).
    @Test func readsX264IntraRefresh() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("refresh.h264")
        let ffmpeg = try FFmpegProcess(["-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", "40",
                                        "-c:v", "libx264", "-tune", "zerolatency", "-x264-params", "intra-refresh=1:keyint=30",
                                        "-f", "h264", path], stderrPath: directory.file("ffmpeg.log"))
        #expect(ffmpeg.wait(seconds: 30) == 0)
        let stream = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let found = Self.marks(stream)
        #expect(found.idr)
        #expect(found.recoveryFrameCount == 18)
    }

    @Test func readsAHandMadeSEIWithEscapes() {
        // SEI: an unregistered-user-data message whose payload needs an emulation prevention
        // byte (00 00 03 01), then a recovery point with recovery_frame_cnt = 3 (ue: 00100).
        let sei: [UInt8] = [0, 0, 0, 1, 0x06,
                            5, 4, 0, 0, 3, 1, 0xAA,
                            6, 1, 0b0010_0100,
                            0x80]
        #expect(Self.marks(sei) == H264RecoveryPoint.Marks(idr: false, recoveryFrameCount: 3))
        let idr: [UInt8] = [0, 0, 1, 0x65, 0x88, 0x84]
        #expect(Self.marks(idr) == H264RecoveryPoint.Marks(idr: true, recoveryFrameCount: nil))
    }

    /// Cut anywhere or filled with noise, an access unit yields no false recovery point or crash.
    @Test func survivesTruncationAndNoise() {
        let sei: [UInt8] = [0, 0, 0, 1, 0x06, 6, 1, 0b0010_0100, 0x80]
        for cut in 0..<sei.count - 3 {
            #expect(Self.marks(Array(sei[0..<cut])).recoveryFrameCount == nil, "cut at \(cut)")
        }
        // A size that runs past the end, a type made of 0xFF bytes, an exp-Golomb code of zeros.
        #expect(Self.marks([0, 0, 1, 0x06, 6, 200, 0x24]).recoveryFrameCount == nil)
        #expect(Self.marks([0, 0, 1, 0x06] + [UInt8](repeating: 0xFF, count: 5000)).recoveryFrameCount == nil)
        #expect(Self.marks([0, 0, 1, 0x06, 6, 4, 0, 0, 0, 0]).recoveryFrameCount == nil)
        var random = SplitMix64(seed: 5)
        for _ in 0..<2000 {
            let noise = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next() % 7 == 0 ? 0 : random.next()) }
            _ = Self.marks([0, 0, 1, 0x06] + noise)
            _ = Self.marks(noise)
        }
    }
}
