import BackdropCore
@testable import Scene

// The plate and the synthesizer as they were before the plate update was rewritten for speed
// and the analysis could move to a worker thread, kept verbatim (renamed) as the oracle: the
// new plate must hold the same values bit for bit, and the synchronous synthesizer must give
// the same frames.

final class ReferencePlate {
    /// A pixel is background where every mask value in its 8x8 block and the blocks around it
    /// is below this: the margin keeps hair and motion blur out of the plate.
    public static let backgroundThreshold: Float = 0.3
    /// After this many frames a pixel's average becomes a moving one (1/maximumAge per frame).
    public static let maximumAge: UInt8 = 30
    /// Frames a pixel needs before it counts for `changeScore`.
    static let confidentAge: UInt8 = 8
    /// A luma difference above this from the plate, in a confident pixel, is a change.
    static let changeThreshold: Float = 16
    static let block = 8
    /// 1/n for the running average.
    private static let reciprocals: [Float] = (0...Int(maximumAge)).map { $0 == 0 ? 0 : 1 / Float($0) }

    public let width: Int
    public let height: Int
    private(set) var y: [Float]
    private(set) var u: [Float]
    private(set) var v: [Float]
    /// Frames averaged per pixel (saturating at `maximumAge`); 0 = never seen.
    public private(set) var age: [UInt8]
    private var chromaAge: [UInt8]
    private var blockIsBackground: [Bool]
    /// Frames given to `update` since the last reset.
    public private(set) var frameCount = 0
    /// Of the confident plate pixels that were background in the last frame, the fraction
    /// whose luma changed beyond noise; 0 when too few to tell.
    public private(set) var changeScore = 0.0

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "plate size must be positive")
        self.width = width
        self.height = height
        y = [Float](repeating: 0, count: width * height)
        age = [UInt8](repeating: 0, count: width * height)
        let chroma = ((width + 1) / 2) * ((height + 1) / 2)
        u = [Float](repeating: 128, count: chroma)
        v = u
        chromaAge = [UInt8](repeating: 0, count: chroma)
        blockIsBackground = []
    }

    /// Forgets everything (after the room changed).
    public func reset() {
        for i in age.indices { age[i] = 0 }
        for i in chromaAge.indices { chromaAge[i] = 0 }
        frameCount = 0
        changeScore = 0
    }

    /// The fraction of pixels seen at least once.
    public var coverage: Double {
        var seen = 0
        for a in age where a > 0 { seen += 1 }
        return Double(seen) / Double(age.count)
    }

    /// Adds the background pixels of `frame`; `mask` is the person probability at frame size.
    public func update(frame: VideoFrame, mask: Mask) {
        precondition(frame.width == width && frame.height == height, "frame size differs from the plate")
        precondition(mask.width == width && mask.height == height, "mask size differs from the plate")
        markBackgroundBlocks(mask)
        frameCount += 1
        var changed = 0, compared = 0
        let blocksPerRow = (width + Self.block - 1) / Self.block
        let reciprocal = Self.reciprocals
        frame.y.withUnsafeBufferPointer { source in
        y.withUnsafeMutableBufferPointer { plate in
        age.withUnsafeMutableBufferPointer { age in
        blockIsBackground.withUnsafeBufferPointer { background in
            for py in 0..<height {
                let blockRow = (py / Self.block) * blocksPerRow
                let sampled = py & 3 == 0
                for bx in 0..<blocksPerRow where background[blockRow + bx] {
                    let rowStart = py &* width
                    for px in (bx * Self.block)..<Swift.min(width, (bx + 1) * Self.block) {
                        let i = rowStart &+ px
                        let value = Float(source[i])
                        let a = age[i]
                        if sampled, px & 3 == 0, a >= Self.confidentAge {
                            compared &+= 1
                            if abs(value - plate[i]) > Self.changeThreshold { changed &+= 1 }
                        }
                        let n = a < Self.maximumAge ? a &+ 1 : a
                        plate[i] += (value - plate[i]) * reciprocal[Int(n)]
                        age[i] = n
                    }
                }
            }
        }}}}
        changeScore = compared >= 64 ? Double(changed) / Double(compared) : 0
        updateChroma(frame)
    }

    private func updateChroma(_ frame: VideoFrame) {
        let cw = frame.chromaWidth, ch = frame.chromaHeight
        let blocksPerRow = (width + Self.block - 1) / Self.block
        for cy in 0..<ch {
            let blockRow = (Swift.min(2 * cy, height - 1) / Self.block) * blocksPerRow
            for cx in 0..<cw where blockIsBackground[blockRow + Swift.min(2 * cx, width - 1) / Self.block] {
                let i = cy * cw + cx
                let a = chromaAge[i]
                let n = a < Self.maximumAge ? a + 1 : a
                u[i] += (Float(frame.u[i]) - u[i]) / Float(n)
                v[i] += (Float(frame.v[i]) - v[i]) / Float(n)
                chromaAge[i] = n
            }
        }
    }

    /// Blocks with no person in them or in any of their eight neighbours.
    private func markBackgroundBlocks(_ mask: Mask) {
        let bw = (width + Self.block - 1) / Self.block, bh = (height + Self.block - 1) / Self.block
        var person = [Bool](repeating: false, count: bw * bh)
        mask.values.withUnsafeBufferPointer { m in
            person.withUnsafeMutableBufferPointer { person in
                for py in 0..<height {
                    let row = (py / Self.block) * bw
                    let start = py &* width
                    for px in 0..<width where m[start &+ px] >= Self.backgroundThreshold {
                        person[row &+ px / Self.block] = true
                    }
                }
            }
        }
        blockIsBackground = [Bool](repeating: true, count: bw * bh)
        for by in 0..<bh {
            for bx in 0..<bw where person[by * bw + bx] {
                for ny in Swift.max(0, by - 1)...Swift.min(bh - 1, by + 1) {
                    for nx in Swift.max(0, bx - 1)...Swift.min(bw - 1, bx + 1) { blockIsBackground[ny * bw + nx] = false }
                }
            }
        }
    }

    /// The plate as a frame; pixels never seen are mid-grey (analysis ignores them through `age`).
    public func image() -> VideoFrame {
        var frame = VideoFrame(width: width, height: height, fillY: 128, fillU: 128, fillV: 128)
        for i in y.indices where age[i] > 0 { frame.y[i] = UInt8(Swift.max(0, Swift.min(255, y[i].rounded()))) }
        for i in u.indices where chromaAge[i] > 0 {
            frame.u[i] = UInt8(Swift.max(0, Swift.min(255, u[i].rounded())))
            frame.v[i] = UInt8(Swift.max(0, Swift.min(255, v[i].rounded())))
        }
        return frame
    }
}

final class ReferenceSceneSynthesizer {
    typealias Options = SceneSynthesizer.Options
    public let options: Options
    /// The description the current background was synthesized from (what a codec would send).
    public private(set) var scene: SceneDescription?
    /// Increases every time `scene` changes.
    public private(set) var sceneVersion = 0
    /// Seconds the last analysis and the last synthesis took.
    public private(set) var lastAnalysisSeconds = 0.0
    public private(set) var lastSynthesisSeconds = 0.0

    private var plate: ReferencePlate?
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
    public var currentPlate: ReferencePlate? { plate }

    /// The background for `frame` (same size and timestamp). `mask` is the person probability,
    /// at frame size or any other size (it is then sampled nearest-neighbour).
    public func background(for frame: VideoFrame, mask: Mask) -> VideoFrame {
        if plate?.width != frame.width || plate?.height != frame.height {
            plate = ReferencePlate(width: frame.width, height: frame.height)
            analyzer.forget()
            scene = nil
            cached = nil
        }
        let plate = plate!
        let fullMask = SceneSynthesizer.resampled(mask, width: frame.width, height: frame.height)
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

    private func analyze(_ plate: ReferencePlate, width: Int, height: Int) {
        let start = MonotonicClock.now()
        framesSinceAnalysis = 0
        coverageAtAnalysis = plate.coverage
        var next: SceneDescription
        do {
            next = try analyzer.analyze(plate: plate.image(), age: plate.age)
        } catch {
            // Nothing of the room seen yet: keep what there is, or a neutral wall.
            guard scene == nil else { return }
            next = SceneSynthesizer.neutral(width: width, height: height, seed: options.seed)
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
}
