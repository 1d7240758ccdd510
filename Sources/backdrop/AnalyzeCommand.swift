import ArgumentParser
import BackdropCore
import Foundation
import Logging
import Media
import Scene
import Segmentation

/// `backdrop analyze INPUT OUT_DIR`: what the synthesized background of a room is made of —
/// the plate, the label map, each label's appearance, the serialized description — and the
/// background and composite made from it.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse the room behind the person in a clip or picture: plate, label map, appearance, synthesized background.",
        discussion: """
            Writes to OUT_DIR: frame.png (the last frame analysed), plate.png (the room behind the person, \
            grey where never seen), labels.png (the label map, one colour per label), appearance.json (each \
            label's appearance; also a theme file: `backdrop synthesize --labels labels.png --themes \
            appearance.json --theme NAME` repaints the room), scene.bin (the serialized description at \
            --level), synthesized.png and composite.png (the person over the synthesized background).
            """)

    @Argument(help: "A clip (anything libavformat opens, or lavfi:GRAPH) or a picture (.png, .jpg, .bmp).")
    var input: String

    @Argument(help: "Directory for the results (created if missing).")
    var outputDirectory: String

    @Option(help: "Analyse at most this many frames of a clip.")
    var frames = 90

    @Option(help: "landscape (256x144, for 16:9), portrait (256x256) or a path to a .tflite model.")
    var model = "landscape"

    @Option(help: "XNNPACK threads.")
    var threads = 1

    @Option(help: "Level of scene.bin: 0 labels and appearance, 1 adds the sketch, 2 adds a plate thumbnail (sends coarse room detail).")
    var level = 1

    @Option(help: "Seed of the synthesized texture.")
    var seed: UInt32 = 0

    @OptionGroup var log: LogOptions

    static let pictureExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "ppm", "pgm", "tif", "tiff", "webp"]

    /// Distinct colours for labels.png (and the theme keys in appearance.json).
    static let labelColours: [PaletteColour] = [
        "#E6194B", "#3CB44B", "#FFE119", "#4363D8", "#F58231", "#911EB4", "#42D4F4", "#F032E6",
        "#BFEF45", "#FABED4", "#469990", "#DCBEFF", "#9A6324", "#FFFAC8", "#800000", "#AAFFC3",
    ].map { PaletteColour(hex: $0)! }

    func validate() throws {
        guard frames >= 1 else { throw ValidationError("--frames \(frames) must be at least 1") }
        guard (0...2).contains(level) else { throw ValidationError("--level \(level) is not 0, 1 or 2") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) is outside 1...64") }
    }

    func run() throws {
        let logger = try log.makeLogger(label: "backdrop.analyze")
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            logger.error("cannot create \(outputDirectory): \(error.localizedDescription)")
            throw ExitStatus.cannotCreate
        }
        let segmenter: PersonSegmenter
        do {
            segmenter = try PersonSegmenter(model: model, threads: threads)
        } catch {
            logger.error("\(error)")
            throw ExitStatus.unavailable
        }

        // Plate: every frame's background pixels.
        var plate: BackgroundPlate?
        var last: (frame: VideoFrame, mask: Mask)?
        var count = 0
        do {
            try forEachFrame(logger: logger) { frame in
                let mask = try segmenter.segment(frame)
                if plate == nil { plate = BackgroundPlate(width: frame.width, height: frame.height) }
                plate!.update(frame: frame, mask: mask)
                last = (frame, mask)
                count += 1
                return count < frames
            }
        } catch let error as MediaError {
            logger.error("\(error)")
            throw ExitStatus.noInput
        }
        guard let plate, let last else {
            logger.error("\(input): no frame could be read")
            throw ExitStatus.noInput
        }

        var options = LabelAnalyzer.Options()
        options.level = .l2
        options.seed = seed
        let analysisStart = MonotonicClock.now()
        let full: SceneDescription
        do {
            full = try LabelAnalyzer(options: options).analyze(plate)
        } catch {
            logger.error("\(input): \(error)")
            throw ExitStatus.failure
        }
        let analysisTime = MonotonicClock.now() - analysisStart
        let scene = full.limited(to: SceneLevel(rawValue: level)!)
        let synthesisStart = MonotonicClock.now()
        let background = try BackgroundSynthesizer().synthesize(scene)
        let synthesisTime = MonotonicClock.now() - synthesisStart
        let sizes = try SceneLevel.allCases.map { try SceneEncoder.encode(full.limited(to: $0)).count }

        do {
            try write(scene: scene, full: full, plate: plate, last: last, background: background, sizes: sizes)
        } catch {
            logger.error("writing to \(outputDirectory): \(error)")
            throw ExitStatus.cannotCreate
        }
        print(String(format: "%@: %d frame(s) of %dx%d, %.0f%% of the room seen; %d labels, %d sketch segments; "
                     + "scene L0 %d, L1 %d, L2 %d bytes (scene.bin at L%d); analysis %.0f ms, synthesis %.1f ms",
                     outputDirectory, count, last.frame.width, last.frame.height, plate.coverage * 100,
                     full.appearances.count, full.sketch.count, sizes[0], sizes[1], sizes[2], level,
                     analysisTime * 1000, synthesisTime * 1000))
    }

    /// Calls `body` with each frame of the input (one for a picture) until it returns false.
    private func forEachFrame(logger: Logger, _ body: (VideoFrame) throws -> Bool) throws {
        let extensionName = URL(fileURLWithPath: input).pathExtension.lowercased()
        if Self.pictureExtensions.contains(extensionName) {
            let image = try ImageFile.load(path: input)
            let (width, height) = (max(2, image.width & ~1), max(2, image.height & ~1))
            _ = try body(try PixelScaler().videoFrame(from: image, width: width, height: height))
            return
        }
        let reader = try MediaReader(url: input, logger: logger)
        while let item = try reader.next() {
            guard case .video(let frame) = item else { continue }
            guard try body(frame) else { return }
        }
    }

    private func write(scene: SceneDescription, full: SceneDescription, plate: BackgroundPlate,
                       last: (frame: VideoFrame, mask: Mask), background: VideoFrame, sizes: [Int]) throws {
        func path(_ name: String) -> String { (outputDirectory as NSString).appendingPathComponent(name) }
        let frameRGB = IntegerColor.rgbImage(from: last.frame)
        let backgroundRGB = IntegerColor.rgbImage(from: background)
        try ImageFile.savePNG(frameRGB, path: path("frame.png"))
        try ImageFile.savePNG(IntegerColor.rgbImage(from: plate.image()), path: path("plate.png"))
        try ImageFile.savePNG(labelPicture(full.labels, width: last.frame.width, height: last.frame.height), path: path("labels.png"))
        try ImageFile.savePNG(backgroundRGB, path: path("synthesized.png"))
        var composite = backgroundRGB
        for i in 0..<(last.frame.width * last.frame.height) {
            let alpha = min(1, max(0, last.mask.values[i]))
            for c in 0..<3 {
                let blended = alpha * Float(frameRGB.pixels[3 * i + c]) + (1 - alpha) * Float(backgroundRGB.pixels[3 * i + c])
                composite.pixels[3 * i + c] = UInt8(blended.rounded())
            }
        }
        try ImageFile.savePNG(composite, path: path("composite.png"))
        try Data(try SceneEncoder.encode(scene)).write(to: URL(fileURLWithPath: path("scene.bin")))
        try appearanceJSON(full, coverage: plate.coverage, sizes: sizes).write(to: URL(fileURLWithPath: path("appearance.json")))
    }

    /// The label map at frame size (nearest cell), one `labelColours` colour per label.
    private func labelPicture(_ map: LabelMap, width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let colour = Self.labelColours[Int(map.labels[map.cellIndex(x: x, y: y, frameWidth: width, frameHeight: height)])]
                let i = 3 * (y * width + x)
                (image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]) = (colour.red, colour.green, colour.blue)
            }
        }
        return image
    }

    private struct Report: Encodable {
        struct Entry: Encodable {
            var color: String
            var name: String
            var cells: Int
            var lab: [Double]
            var preview: String
            var energy: [Double]
            var orientation: Double
            var anisotropy: Double
            var shading: [Double]
        }
        struct Theme: Encodable {
            var name: String
            var entries: [Entry]
        }
        struct Segment: Encodable {
            var from: [Double]
            var to: [Double]
            var ridge: Int
            var step: Int
        }
        var input: String
        var frame: [Int]
        var grid: [Int]
        var seed: UInt32
        var coverage: Double
        var bytes: [String: Int]
        var themes: [Theme]
        var sketch: [Segment]
    }

    /// Each label's appearance, laid out as a theme file keyed by the labels.png colours.
    private func appearanceJSON(_ scene: SceneDescription, coverage: Double, sizes: [Int]) throws -> Data {
        func round(_ v: Double, _ places: Double = 100) -> Double { (v * places).rounded() / places }
        let cells = scene.labels.histogram()
        let entries = scene.appearances.enumerated().map { label, a in
            let lab = a.lab
            let rgb = ColorSpace.rgb(l: lab.l, a: lab.a, b: lab.b)
            let hex = PaletteColour(red: UInt8(rgb.red.rounded()), green: UInt8(rgb.green.rounded()), blue: UInt8(rgb.blue.rounded()))
            return Report.Entry(color: Self.labelColours[label].description, name: "label \(label)",
                                cells: label < cells.count ? cells[label] : 0, lab: [round(lab.l), lab.a, lab.b],
                                preview: hex.description, energy: a.energyValues, orientation: round(a.orientationDegrees),
                                anisotropy: round(a.anisotropyValue), shading: a.shadingValues)
        }
        let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let sketch = scene.sketch.map { s in
            let scale = Double(SketchSegment.coordinateScale)
            return Report.Segment(from: [round(Double(s.x0) / scale * Double(scene.frameWidth), 10), round(Double(s.y0) / scale * Double(scene.frameHeight), 10)],
                                  to: [round(Double(s.x1) / scale * Double(scene.frameWidth), 10), round(Double(s.y1) / scale * Double(scene.frameHeight), 10)],
                                  ridge: Int(s.ridge), step: Int(s.step))
        }
        let report = Report(input: input, frame: [scene.frameWidth, scene.frameHeight], grid: [scene.labels.width, scene.labels.height],
                            seed: scene.seed, coverage: round(coverage, 1000),
                            bytes: ["L0": sizes[0], "L1": sizes[1], "L2": sizes[2]],
                            themes: [Report.Theme(name: name.isEmpty ? "room" : name, entries: entries)], sketch: sketch)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(report)
    }
}
