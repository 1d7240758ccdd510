import BackdropCore

/// The synthesized background for a live or file pipeline: feed it every frame with its person
/// mask; it keeps a plate of the room, analyses it when due (first frame, as the plate fills
/// in, after the room changed), and returns the cached background synthesized from the room's
/// own label map, dressed in a theme if one is given.
///
/// Never returns the real room: before anything was seen (the person fills the frame) it
/// returns a neutral synthesized wall. Not thread-safe: one per stream.
public final class SceneSynthesizer {
    /// When to analyse and how.
    public struct Options: Sendable {
        /// Dress the room in this theme instead of its own colours and textures.
        public var theme: Theme?
        public var seed: UInt32 = 0
        public var level = SceneLevel.l0
        /// Re-analyse at most this often (frames), and only if the plate grew meanwhile.
        public var analysisInterval = 30
        /// Coverage growth (fraction of the frame) that makes a re-analysis worth it.
        public var coverageGrowth = 0.02
        /// A change score above this for `changeFrames` frames in a row restarts the plate.
        public var changeThreshold = 0.35
        public var changeFrames = 5
        public var analysis = LabelAnalyzer.Options()

        public init(theme: Theme? = nil, seed: UInt32 = 0) {
            self.theme = theme
            self.seed = seed
        }
    }

    public let options: Options
    /// The description the current background was synthesized from (what a codec would send).
    public private(set) var scene: SceneDescription?
    /// Increases every time `scene` changes.
    public private(set) var sceneVersion = 0
    /// Seconds the last analysis and the last synthesis took.
    public private(set) var lastAnalysisSeconds = 0.0
    public private(set) var lastSynthesisSeconds = 0.0

    private var plate: BackgroundPlate?
    private let analyzer: LabelAnalyzer
    private let synthesizer = BackgroundSynthesizer()
    private var cached: VideoFrame?
    private var framesSinceAnalysis = 0
    private var coverageAtAnalysis = 0.0
    private var changeStreak = 0

    public init(options: Options = Options()) {
        self.options = options
        var analysis = options.analysis
        analysis.level = options.level
        analysis.seed = options.seed
        analyzer = LabelAnalyzer(options: analysis)
    }

    /// The plate so far (nil before the first frame).
    public var currentPlate: BackgroundPlate? { plate }

    /// The background for `frame` (same size and timestamp). `mask` is the person probability,
    /// at frame size or any other size (it is then sampled nearest-neighbour).
    public func background(for frame: VideoFrame, mask: Mask) -> VideoFrame {
        if plate?.width != frame.width || plate?.height != frame.height {
            plate = BackgroundPlate(width: frame.width, height: frame.height)
            analyzer.forget()
            scene = nil
            cached = nil
        }
        let plate = plate!
        let fullMask = Self.resampled(mask, width: frame.width, height: frame.height)
        plate.update(frame: frame, mask: fullMask)
        changeStreak = plate.changeScore > options.changeThreshold ? changeStreak + 1 : 0
        var due = scene == nil
        if changeStreak >= options.changeFrames {
            // The room changed (camera moved, lights switched): start the plate again from this frame.
            plate.reset()
            plate.update(frame: frame, mask: fullMask)
            analyzer.forget()
            changeStreak = 0
            due = true
        }
        framesSinceAnalysis += 1
        if framesSinceAnalysis >= options.analysisInterval, plate.coverage >= coverageAtAnalysis + options.coverageGrowth {
            due = true
        }
        if due { analyze(plate, width: frame.width, height: frame.height) }
        var background = cached!
        background.pts = frame.pts
        background.timeBase = frame.timeBase
        return background
    }

    private func analyze(_ plate: BackgroundPlate, width: Int, height: Int) {
        let start = MonotonicClock.now()
        framesSinceAnalysis = 0
        coverageAtAnalysis = plate.coverage
        var next: SceneDescription
        do {
            next = try analyzer.analyze(plate)
        } catch {
            // Nothing of the room seen yet: keep what there is, or a neutral wall.
            guard scene == nil else { return }
            next = Self.neutral(width: width, height: height, seed: options.seed)
        }
        if let theme = options.theme { next = theme.dressing(next) }
        lastAnalysisSeconds = MonotonicClock.now() - start
        guard next != scene || cached == nil else { return }
        let synthesisStart = MonotonicClock.now()
        do {
            cached = try synthesizer.synthesize(next, width: width, height: height)
        } catch {
            // Only a frame too small for any scene gets here: flat grey, never the room.
            if cached == nil { cached = VideoFrame(width: width, height: height, fillY: 128, fillU: 128, fillV: 128) }
            return
        }
        lastSynthesisSeconds = MonotonicClock.now() - synthesisStart
        scene = next
        sceneVersion += 1
    }

    /// A plain, softly lit light-grey wall.
    static func neutral(width: Int, height: Int, seed: UInt32) -> SceneDescription {
        let wall = LabelAppearance.reproducible(lab: (70, 0, 2), shading: [0, -6, -8, 0, -4], energy: [0.8, 1, 1.2])
        return SceneDescription(frameWidth: width, frameHeight: height, seed: seed,
                                labels: LabelMap(width: (width + 7) / 8, height: (height + 7) / 8), appearances: [wall])
    }

    static func resampled(_ mask: Mask, width: Int, height: Int) -> Mask {
        guard mask.width != width || mask.height != height else { return mask }
        var values = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = (y * mask.height / height) * mask.width
            for x in 0..<width { values[y * width + x] = mask.values[row + x * mask.width / width] }
        }
        return Mask(width: width, height: height, values: values)
    }
}
