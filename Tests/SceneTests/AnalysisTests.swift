import BackdropCore
import Scene
import Testing

/// The label analysis finds a room's layout, and numbers it the same way every time.
@Suite struct AnalysisTests {
    static func allSeen(_ frame: VideoFrame) -> [UInt8] {
        [UInt8](repeating: 1, count: frame.width * frame.height)
    }

    /// Best-match IoU: every true region against the analysed region overlapping it most, by area.
    static func bestMatchIoU(truth: LabelMap, found: LabelMap) -> Double {
        var total = 0.0
        for t in 0..<truth.labelCount {
            let inTruth = truth.labels.indices.filter { truth.labels[$0] == t }
            var best = 0.0
            for f in 0..<found.labelCount {
                let inFound = Set(found.labels.indices.filter { found.labels[$0] == f })
                let intersection = inTruth.filter(inFound.contains).count
                best = max(best, Double(intersection) / Double(inTruth.count + inFound.count - intersection))
            }
            total += best * Double(inTruth.count)
        }
        return total / Double(truth.labels.count)
    }

    @Test func reanalysingASynthesizedRoomRecoversItsLayout() throws {
        let scene = TestScenes.room(sketch: false)
        let frame = try BackgroundSynthesizer().synthesize(scene)
        let found = try LabelAnalyzer().analyze(plate: frame, age: Self.allSeen(frame))
        #expect(found.labels.width == scene.labels.width && found.labels.height == scene.labels.height)
        let ari = TestScenes.adjustedRandIndex(scene.labels.labels, found.labels.labels)
        let iou = Self.bestMatchIoU(truth: scene.labels, found: found.labels)
        #expect(ari >= 0.9, "adjusted Rand index \(ari)")
        #expect(iou >= 0.9, "best-match IoU \(iou)")
        // And it measures roughly the colours it was given.
        for label in 0..<min(found.appearances.count, scene.appearances.count) where found.labels.labels == scene.labels.labels {
            #expect(ColorDifference.ciede2000(found.appearances[label].lab, scene.appearances[label].lab) < 3)
        }
    }

    @Test func twoFramesOfAStaticRoomGetTheSameNumbering() throws {
        let layout = TestScenes.roomLayout(width: 80, height: 45)
        let first = TestScenes.photo(layout: layout, colours: TestScenes.photoColours, width: 640, height: 360, noise: 4, seed: 1)
        let second = TestScenes.photo(layout: layout, colours: TestScenes.photoColours, width: 640, height: 360, noise: 4, seed: 2)
        let a = try LabelAnalyzer().analyze(plate: first, age: Self.allSeen(first))
        let b = try LabelAnalyzer().analyze(plate: second, age: Self.allSeen(second))
        #expect(a.labels.labelCount == layout.labelCount)
        let same = zip(a.labels.labels, b.labels.labels).filter { $0 == $1 }.count
        #expect(Double(same) / Double(a.labels.labels.count) >= 0.99, "\(same) of \(a.labels.labels.count) cells agree")
        #expect(TestScenes.adjustedRandIndex(a.labels.labels, layout.labels) >= 0.95)
        // Warm-started from the first analysis, the second keeps its numbers too.
        let analyzer = LabelAnalyzer()
        let warmFirst = try analyzer.analyze(plate: first, age: Self.allSeen(first))
        let warmSecond = try analyzer.analyze(plate: second, age: Self.allSeen(second))
        #expect(warmFirst.labels == a.labels)
        let warmSame = zip(warmFirst.labels.labels, warmSecond.labels.labels).filter { $0 == $1 }.count
        #expect(Double(warmSame) / Double(a.labels.labels.count) >= 0.99)
    }

    @Test func unseenPartsTakeTheirNeighboursLabels() throws {
        let layout = TestScenes.roomLayout(width: 80, height: 45)
        let frame = TestScenes.photo(layout: layout, colours: TestScenes.photoColours, width: 640, height: 360, noise: 3, seed: 3)
        var age = Self.allSeen(frame)
        // A person-shaped hole in the middle of the wall and desk.
        for y in 150..<360 { for x in 280..<380 { age[y * 640 + x] = 0 } }
        let scene = try LabelAnalyzer().analyze(plate: frame, age: age)
        #expect(scene.labels.labelCount <= LabelMap.maximumLabels)
        #expect(TestScenes.adjustedRandIndex(scene.labels.labels, layout.labels) >= 0.8)
    }

    @Test func anEmptyPlateIsAClearError() {
        let frame = VideoFrame(width: 320, height: 180, fillY: 100, fillU: 128, fillV: 128)
        let age = [UInt8](repeating: 0, count: 320 * 180)
        #expect(throws: SceneError.emptyPlate(coverage: 0)) { try LabelAnalyzer().analyze(plate: frame, age: age) }
        #expect("\(SceneError.emptyPlate(coverage: 0))".contains("person covers the frame"))
    }

    @Test func sketchFindsTheStraightEdges() throws {
        let scene = TestScenes.room(sketch: false)
        let frame = try BackgroundSynthesizer().synthesize(scene)
        var options = LabelAnalyzer.Options()
        options.level = .l1
        let found = try LabelAnalyzer(options: options).analyze(plate: frame, age: Self.allSeen(frame))
        #expect(found.level == .l1)
        #expect(found.sketch.count >= 4, "\(found.sketch.count) segments")
        // Mostly horizontal and vertical, like the rectangles of the room.
        let axisAligned = found.sketch.filter { $0.x0 == $0.x1 || abs(Int($0.y0) - Int($0.y1)) < 40 || abs(Int($0.x0) - Int($0.x1)) < 40 }
        #expect(axisAligned.count * 10 >= found.sketch.count * 8)
    }
}
