import BackdropCore
import Foundation
import Media
import Testing
import TestSupport

@Suite struct SceneCommandTests {
    /// A label map painted with two palette colours, synthesized twice: same pixels, right size.
    @Test func synthesizeIsDeterministicAndSized() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var map = RGBImage(width: 32, height: 18, fill: (0xC8, 0xC8, 0xC8))  // wall
        for i in (32 * 12)..<(32 * 18) { (map.pixels[3 * i], map.pixels[3 * i + 1], map.pixels[3 * i + 2]) = (0x8B, 0x45, 0x13) } // floor
        let labels = dir.appendingPathComponent("map.png").path
        try ImageFile.savePNG(map, path: labels)
        var digests: [String] = []
        for name in ["a.png", "b.png"] {
            let out = dir.appendingPathComponent(name).path
            let result = try BackdropBinary.run(["synthesize", "--labels", labels, "--theme", "office", "--size", "320x180", out])
            #expect(result.status == 0, "\(result.stderr)")
            let image = try ImageFile.load(path: out)
            #expect(image.width == 320 && image.height == 180)
            digests.append(SHA256.hex(image.pixels))
        }
        #expect(digests[0] == digests[1])
    }

    @Test func unknownColoursAndThemesAreClearErrors() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let labels = dir.appendingPathComponent("odd.png").path
        try ImageFile.savePNG(RGBImage(width: 8, height: 8, fill: (1, 2, 3)), path: labels)
        let colours = try BackdropBinary.run(["synthesize", "--labels", labels, "--theme", "office", "--size", "64x36",
                                             dir.appendingPathComponent("o.png").path])
        #expect(colours.status != 0)
        #expect(colours.stderr.lowercased().contains("010203"), "\(colours.stderr)")
        let theme = try BackdropBinary.run(["synthesize", "--labels", labels, "--theme", "moon", "--size", "64x36",
                                           dir.appendingPathComponent("o.png").path])
        #expect(theme.status != 0)
        #expect(theme.stderr.contains("moon"), "\(theme.stderr)")
    }

    @Test func analyzeWritesTheRoom() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try BackdropBinary.run(["analyze", try TestMedia.path("carphone_pristine.mp4"), dir.path, "--frames", "30"])
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["plate.png", "labels.png", "appearance.json", "scene.bin", "synthesized.png"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file) missing")
        }
        let scene = try Data(contentsOf: dir.appendingPathComponent("scene.bin"))
        #expect(scene.count > 16 && scene.count < 2048)
    }
}
