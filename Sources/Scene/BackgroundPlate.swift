import BackdropCore

/// A running estimate of the room behind the person: each pixel averages the frames in which
/// it was background (well away from the person), so the area behind the person fills in as
/// they move; `changeScore` says when the room itself changed (camera moved, lights switched).
///
/// Full resolution: the analysis measures texture at 1-2 px and draws the sketch from the
/// plate's edges, so a reduced plate would change what it finds. The update is cheap instead:
/// it walks runs of background blocks with branch-free loops over contiguous buffers, and
/// skips the blocks near the person (which cannot change) altogether.
///
/// Analysis side: floating point is fine here. Not thread-safe; `snapshot()` is the copy to
/// hand to another thread.
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
    /// Block side; `markBackgroundBlocks` reads a block row as one SIMD8.
    static let block = 8

    public let width: Int
    public let height: Int
    /// The running averages (internal for the tests that compare them bit for bit).
    private(set) var y: [Float]
    private(set) var u: [Float]
    private(set) var v: [Float]
    /// Frames averaged per pixel (saturating at `maximumAge`); 0 = never seen.
    public private(set) var age: [UInt8]
    private var chromaAge: [UInt8]
    private let blocksPerRow: Int
    private let blockRows: Int
    /// Per 8x8 block, this frame: whether the person touches it, and whether it and its eight
    /// neighbours are free of the person. Reused from frame to frame.
    private var blockHasPerson: [Bool]
    private var blockIsBackground: [Bool]
    /// Pixels with `age > 0`, kept as they turn so `coverage` costs nothing.
    private var seenCount = 0
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
        blocksPerRow = (width + Self.block - 1) / Self.block
        blockRows = (height + Self.block - 1) / Self.block
        blockHasPerson = [Bool](repeating: false, count: blocksPerRow * blockRows)
        blockIsBackground = blockHasPerson
    }

    /// Forgets everything (after the room changed).
    public func reset() {
        for i in age.indices { age[i] = 0 }
        for i in chromaAge.indices { chromaAge[i] = 0 }
        seenCount = 0
        frameCount = 0
        changeScore = 0
    }

    /// The fraction of pixels seen at least once.
    public var coverage: Double {
        Double(seenCount) / Double(age.count)
    }

    /// Adds the background pixels of `frame`; `mask` is the person probability at frame size.
    public func update(frame: VideoFrame, mask: Mask) {
        precondition(frame.width == width && frame.height == height, "frame size differs from the plate")
        precondition(mask.width == width && mask.height == height, "mask size differs from the plate")
        markBackgroundBlocks(mask)
        frameCount += 1
        var changed = 0, compared = 0, newlySeen = 0
        let (width, height, blocksPerRow, block) = (self.width, self.height, self.blocksPerRow, Self.block)
        frame.y.withUnsafeBufferPointer { source in
        y.withUnsafeMutableBufferPointer { plate in
        age.withUnsafeMutableBufferPointer { age in
        blockIsBackground.withUnsafeBufferPointer { background in
            let (source, plate, age) = (source.baseAddress!, plate.baseAddress!, age.baseAddress!)
            for py in 0..<height {
                let blockRow = (py / block) * blocksPerRow
                let rowStart = py &* width
                // The change score samples every 4th pixel of every 4th row.
                let sampled = py & 3 == 0
                Self.forEachRun(of: background, row: blockRow, blocks: blocksPerRow, blockWidth: block, rowLength: width) { start, count in
                    let x0 = rowStart &+ start
                    if sampled {
                        // Before the update: the change is against the plate as it was.
                        var i = x0
                        while i < x0 &+ count {
                            if age[i] >= Self.confidentAge {
                                compared &+= 1
                                if abs(Float(source[i]) - plate[i]) > Self.changeThreshold { changed &+= 1 }
                            }
                            i &+= 4
                        }
                    }
                    newlySeen &+= Self.accumulate(source + x0, into: plate + x0, age: age + x0, count: count)
                }
            }
        }}}}
        seenCount += newlySeen
        changeScore = compared >= 64 ? Double(changed) / Double(compared) : 0
        updateChroma(frame)
    }

    /// Calls `body(start, count)` for each run of consecutive background blocks in one row of
    /// blocks (`row` is its first block's index): `start` is the run's first pixel in the row,
    /// `count` its width in pixels, clipped to `rowLength`.
    @inline(__always)
    private static func forEachRun(of background: UnsafeBufferPointer<Bool>, row: Int, blocks: Int, blockWidth: Int,
                                   rowLength: Int, _ body: (_ start: Int, _ count: Int) -> Void) {
        var bx = 0
        while bx < blocks {
            guard background[row &+ bx] else {
                bx &+= 1
                continue
            }
            var end = bx &+ 1
            while end < blocks && background[row &+ end] { end &+= 1 }
            body(bx &* blockWidth, Swift.min(rowLength, end &* blockWidth) &- bx &* blockWidth)
            bx = end
        }
    }

    /// One run of background pixels: the running mean, then the moving one. Branch-free and
    /// eight lanes wide; each lane does the same IEEE operations as the scalar tail, and
    /// `1 / Float(n)` is the value a table of reciprocals would hold, so the plate is the same
    /// bit for bit as a plain per-pixel loop's. Returns how many pixels were seen for the first time.
    @inline(__always)
    private static func accumulate(_ source: UnsafePointer<UInt8>, into plate: UnsafeMutablePointer<Float>,
                                   age: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        // Eight pixels at a time (a block row), lane by lane the same arithmetic as below.
        let one = SIMD8<UInt8>(repeating: 1), zero = SIMD8<UInt8>(repeating: 0)
        let maximum = SIMD8<UInt8>(repeating: maximumAge)
        var fresh = 0
        var k = 0
        while k &+ 8 <= count {
            let a = UnsafeRawPointer(age + k).loadUnaligned(as: SIMD8<UInt8>.self)
            fresh &+= Int(one.replacing(with: zero, where: a .!= zero).wrappedSum())
            let n = a &+ one.replacing(with: zero, where: a .>= maximum)
            let value = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: UnsafeRawPointer(source + k).loadUnaligned(as: SIMD8<UInt8>.self)))
            let p = UnsafeRawPointer(plate + k).loadUnaligned(as: SIMD8<Float>.self)
            let updated = p + (value - p) * (1 / SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: n)))
            UnsafeMutableRawPointer(plate + k).storeBytes(of: updated, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(age + k).storeBytes(of: n, as: SIMD8<UInt8>.self)
            k &+= 8
        }
        while k < count {
            let a = age[k]
            fresh &+= a == 0 ? 1 : 0
            let n = a < maximumAge ? a &+ 1 : a
            let p = plate[k]
            plate[k] = p + (Float(source[k]) - p) * (1 / Float(n))
            age[k] = n
            k &+= 1
        }
        return fresh
    }

    /// Chroma pixel (cx, cy) sits in block (cx / 4, cy / 4): its luma position (2cx, 2cy) is
    /// always inside the frame.
    private func updateChroma(_ frame: VideoFrame) {
        let cw = frame.chromaWidth, ch = frame.chromaHeight
        let blocksPerRow = self.blocksPerRow
        frame.u.withUnsafeBufferPointer { sourceU in
        frame.v.withUnsafeBufferPointer { sourceV in
        u.withUnsafeMutableBufferPointer { plateU in
        v.withUnsafeMutableBufferPointer { plateV in
        chromaAge.withUnsafeMutableBufferPointer { age in
        blockIsBackground.withUnsafeBufferPointer { background in
            let (sourceU, sourceV) = (sourceU.baseAddress!, sourceV.baseAddress!)
            let (plateU, plateV, age) = (plateU.baseAddress!, plateV.baseAddress!, age.baseAddress!)
            for cy in 0..<ch {
                let blockRow = (cy / 4) * blocksPerRow
                let rowStart = cy &* cw
                Self.forEachRun(of: background, row: blockRow, blocks: blocksPerRow, blockWidth: 4, rowLength: cw) { start, count in
                    let x0 = rowStart &+ start
                    let (su, sv, pu, pv, a) = (sourceU + x0, sourceV + x0, plateU + x0, plateV + x0, age + x0)
                    for k in 0..<count {
                        let n = a[k] < Self.maximumAge ? a[k] &+ 1 : a[k]
                        let fn = Float(n)
                        pu[k] += (Float(su[k]) - pu[k]) / fn
                        pv[k] += (Float(sv[k]) - pv[k]) / fn
                        a[k] = n
                    }
                }
            }
        }}}}}}
    }

    /// Blocks with no person in them or in any of their eight neighbours.
    private func markBackgroundBlocks(_ mask: Mask) {
        let (width, height, bw, bh, block) = (self.width, self.height, blocksPerRow, blockRows, Self.block)
        let threshold = Self.backgroundThreshold
        let full = width / block  // blocks with all 8 columns inside the frame
        mask.values.withUnsafeBufferPointer { m in
        blockHasPerson.withUnsafeMutableBufferPointer { person in
            let m = UnsafeRawPointer(m.baseAddress!)
            let limit = SIMD8<Float>(repeating: threshold)
            for b in 0..<person.count { person[b] = false }
            for py in 0..<height {
                let row = (py / block) * bw
                let start = m + py &* width &* MemoryLayout<Float>.stride
                // Blocks already holding the person need no more looking at.
                for bx in 0..<full where !person[row &+ bx] {
                    let values = start.loadUnaligned(fromByteOffset: bx &* block &* MemoryLayout<Float>.stride,
                                                     as: SIMD8<Float>.self)
                    if any(values .>= limit) { person[row &+ bx] = true }
                }
                if full < bw && !person[row &+ full] {
                    for px in (full &* block)..<width
                    where start.load(fromByteOffset: px &* MemoryLayout<Float>.stride, as: Float.self) >= threshold {
                        person[row &+ full] = true
                    }
                }
            }
        }}
        blockHasPerson.withUnsafeBufferPointer { person in
        blockIsBackground.withUnsafeMutableBufferPointer { background in
            for b in 0..<background.count { background[b] = true }
            for by in 0..<bh {
                for bx in 0..<bw where person[by &* bw &+ bx] {
                    for ny in Swift.max(0, by - 1)...Swift.min(bh - 1, by + 1) {
                        for nx in Swift.max(0, bx - 1)...Swift.min(bw - 1, bx + 1) { background[ny &* bw &+ nx] = false }
                    }
                }
            }
        }}
    }

    /// The plate as a frame; pixels never seen are mid-grey (analysis ignores them through `age`).
    public func image() -> VideoFrame {
        snapshot().image()
    }

    /// The plate at this moment, as a value: safe to hand to another thread while this plate
    /// goes on. Costs nothing here; the arrays are copied when the plate next changes them.
    public func snapshot() -> Snapshot {
        Snapshot(width: width, height: height, y: y, u: u, v: v, age: age, chromaAge: chromaAge)
    }

    /// The plate's averages and ages at one moment.
    public struct Snapshot: Sendable {
        public let width: Int
        public let height: Int
        let y: [Float]
        let u: [Float]
        let v: [Float]
        /// As `BackgroundPlate.age`.
        public let age: [UInt8]
        let chromaAge: [UInt8]

        /// As `BackgroundPlate.image()`: never-seen pixels mid-grey.
        public func image() -> VideoFrame {
            var frame = VideoFrame(width: width, height: height, fillY: 128, fillU: 128, fillV: 128)
            BackgroundPlate.round(y, seen: age, into: &frame.y)
            BackgroundPlate.round(u, seen: chromaAge, into: &frame.u)
            BackgroundPlate.round(v, seen: chromaAge, into: &frame.v)
            return frame
        }
    }

    /// `values[i].rounded()` clamped to 0...255 where `seen[i] > 0`; `output` keeps the others.
    /// Branch-free: truncation and the fraction give the same as `rounded()` (half away from
    /// zero) for the non-negative values a plate holds, and the subtraction is exact.
    fileprivate static func round(_ values: [Float], seen: [UInt8], into output: inout [UInt8]) {
        values.withUnsafeBufferPointer { values in
        seen.withUnsafeBufferPointer { seen in
        output.withUnsafeMutableBufferPointer { output in
            for i in 0..<values.count {
                let x = Swift.min(255, Swift.max(0, values[i]))
                let whole = Float(Int32(x))
                let byte = UInt8(truncatingIfNeeded: Int32(whole) &+ (x - whole >= 0.5 ? 1 : 0))
                output[i] = seen[i] > 0 ? byte : output[i]
            }
        }}}
    }
}
