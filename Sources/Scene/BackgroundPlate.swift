import BackdropCore

/// A running estimate of the room behind the person: each pixel averages the frames in which
/// it was background (well away from the person), so the area behind the person fills in as
/// they move; `changeScore` says when the room itself changed (camera moved, lights switched).
///
/// Analysis side: floating point is fine here. Not thread-safe.
public final class BackgroundPlate {
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
    private var y: [Float]
    private var u: [Float]
    private var v: [Float]
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
