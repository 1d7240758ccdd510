import ArgumentParser
import BackdropCore
import Foundation
import Logging
import Media
import Scene

/// `backdrop synthesize`: a background from a painted label map and a theme (or from a scene
/// description written by `backdrop analyze`), as a PNG.
struct SynthesizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesize",
        abstract: "Synthesize a background from a painted label map and a theme, or from a scene description.",
        discussion: """
            Paint the label map with the palette colours --list-themes prints (any size; each colour is a \
            kind of region), then pick a theme for what the regions look like. Colours outside the theme's \
            palette are an error unless --nearest snaps them to the nearest palette colour. The same map, \
            theme, size and seed give the same pixels on every machine.
            """)

    @Argument(help: "The PNG to write.")
    var output: String?

    @Option(help: "Painted label map (PNG, at most 16 colours from the theme's palette).")
    var labels: String?

    @Option(help: "A scene description (scene.bin from `backdrop analyze`) instead of --labels and --theme.")
    var scene: String?

    @Option(help: "The theme: what each palette colour looks like (see --list-themes).")
    var theme = "office"

    @Option(help: "Output size WxH (default: 1280x720, or the scene description's own size).")
    var size: String?

    @Option(help: "Seed of the synthesized texture (0...4294967295); with --scene, overrides its seed.")
    var seed: UInt32?

    @Option(help: "A JSON file of more themes (repeatable); `backdrop analyze` writes one as appearance.json.")
    var themes: [String] = []

    @Flag(help: "Snap colours the theme does not define to its nearest palette colour instead of failing.")
    var nearest = false

    @Flag(help: "List the themes and the palette colours, then exit.")
    var listThemes = false

    @Option(help: "Synthesize this many times and report the median time (a benchmark).")
    var repeats = 1

    @OptionGroup var log: LogOptions

    func validate() throws {
        if listThemes { return }
        guard output != nil else { throw ValidationError("give the PNG to write, e.g. `backdrop synthesize --labels map.png out.png`") }
        guard (labels == nil) != (scene == nil) else { throw ValidationError("give either --labels MAP.png or --scene scene.bin") }
        if let size { _ = try Self.parseSize(size) }
        guard (1...1000).contains(repeats) else { throw ValidationError("--repeats \(repeats) is outside 1...1000") }
    }

    static func parseSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              (2...SceneDescription.maximumFrameSide).contains(width), (2...SceneDescription.maximumFrameSide).contains(height) else {
            throw ValidationError("--size '\(text)' is not WxH with each side 2...\(SceneDescription.maximumFrameSide), e.g. 1280x720")
        }
        return (width, height)
    }

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.synthesize")
        var library = ThemeLibrary.builtIn
        for path in themes {
            do {
                try library.load(path: path)
            } catch {
                logger.error("\(error)")
                throw FileManager.default.isReadableFile(atPath: path) ? ExitStatus.failure : ExitStatus.noInput
            }
        }
        if listThemes {
            print("Themes: " + library.names.joined(separator: ", "))
            print("Palette of the built-in themes (paint label maps with these colours):")
            for (name, colour) in ThemeLibrary.builtInPalette { print("  \(colour)  \(name)") }
            for theme in library.themes where theme.palette != ThemeLibrary.builtInPalette.map(\.colour) {
                print("Palette of \(theme.name): " + theme.entries.map { "\($0.colour) \($0.name)" }.joined(separator: ", "))
            }
            return
        }
        guard let output else { throw ExitStatus.usage }

        var description = try makeScene(library: library, logger: logger)
        if let seed { description.seed = seed }
        let (width, height) = try size.map(Self.parseSize) ?? (description.frameWidth, description.frameHeight)
        let synthesizer = BackgroundSynthesizer()
        var frame: VideoFrame?
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = MonotonicClock.now()
            frame = try synthesizer.synthesize(description, width: width, height: height)
            times.append(MonotonicClock.now() - start)
        }
        do {
            try ImageFile.savePNG(IntegerColor.rgbImage(from: frame!), path: output)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.cannotCreate
        }
        let median = times.sorted()[times.count / 2] * 1000
        let bytes = (try? SceneEncoder.encode(description).count) ?? 0
        let best = times.min()! * 1000
        let timing = repeats > 1 ? String(format: "median %.1f ms, best %.1f ms of %d", median, best, repeats)
            : String(format: "%.1f ms", median)
        print("\(output): \(width)x\(height), \(description.appearances.count) labels, seed \(description.seed), "
              + "synthesized in \(timing); scene description \(bytes) bytes (L\(description.level.rawValue))")
    }

    private func makeScene(library: ThemeLibrary, logger: Logger) throws -> SceneDescription {
        if let scene {
            let bytes: [UInt8]
            do {
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: scene)))
            } catch {
                logger.error("cannot read \(scene): \(error.localizedDescription)")
                throw ExitStatus.noInput
            }
            do {
                return try SceneDecoder.decode(bytes)
            } catch {
                logger.error("\(scene): \(error)")
                throw ExitStatus.failure
            }
        }
        let chosen: Theme
        do {
            chosen = try library.theme(named: theme)
        } catch {
            logger.error("--theme: \(error)")
            throw ExitStatus.usage
        }
        let map: RGBImage
        do {
            map = try ImageFile.load(path: labels!)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.noInput
        }
        let (width, height) = try size.map(Self.parseSize) ?? (1280, 720)
        do {
            return try PaletteLabelMap.scene(from: map, theme: chosen, frameWidth: width, frameHeight: height,
                                             seed: seed ?? 0, matching: nearest ? .nearest : .exact)
        } catch {
            logger.error("\(labels!): \(error)")
            throw ExitStatus.failure
        }
    }
}
