import BackdropCore
import Foundation
import Media
import Testing
import TestSupport

@Suite struct ImageFileTests {
    @Test func pngRoundTripIsExact() throws {
        let directory = try TemporaryDirectory()
        var generator = SplitMix64(seed: 3)
        let pixels = (0..<(37 * 23 * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let image = RGBImage(width: 37, height: 23, pixels: pixels)
        // A name image2 would otherwise read as a sequence pattern.
        let path = directory.file("picture %d.png")
        try ImageFile.savePNG(image, path: path)
        #expect(try ImageFile.load(path: path) == image)
        let probe = try run("ffprobe", ["-v", "error", "-pattern_type", "none", "-show_entries", "stream=codec_name,pix_fmt,width,height",
                                        "-of", "csv=p=0", path])
        #expect(probe.trimmingCharacters(in: .whitespacesAndNewlines) == "png,37,23,rgb24")
    }

    @Test func loadsJPEGAsRGB() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("blue.jpg")
        try run("ffmpeg", ["-f", "lavfi", "-i", "color=c=blue:size=40x30", "-frames:v", "1", path])
        let image = try ImageFile.load(path: path)
        #expect(image.width == 40 && image.height == 30)
        let center = 3 * (15 * 40 + 20)
        #expect(image.pixels[center] < 30 && image.pixels[center + 1] < 30 && image.pixels[center + 2] > 220)
    }

    @Test(arguments: ["pal8", "rgba", "gray", "ya8", "rgb48be"])
    func loadsOtherPNGFormatsLikeFFmpeg(format: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("\(format).png")
        try run("ffmpeg", ["-f", "lavfi", "-i", "testsrc2=size=32x16,format=rgb24,crop=31:15:0:0", "-frames:v", "1", "-pix_fmt", format, path])
        let image = try ImageFile.load(path: path)
        let expected = try runForBytes("ffmpeg", ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        #expect(image.width == 31 && image.height == 15)
        #expect(image.pixels == expected)
    }

    @Test func missingAndBrokenFilesThrow() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: MediaError.self) { _ = try ImageFile.load(path: directory.file("none.png")) }
        let path = directory.file("broken.png")
        try Data("not a png at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: MediaError.self) { _ = try ImageFile.load(path: path) }
        #expect(throws: MediaError.self) {
            try ImageFile.savePNG(RGBImage(width: 2, height: 2), path: directory.file("no/such/dir.png"))
        }
    }
}
