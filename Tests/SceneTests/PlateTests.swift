import BackdropCore
import Scene
import Testing

/// The plate fills in behind a moving person and notices when the room changes.
@Suite struct PlateTests {
    static let (width, height) = (320, 180)
    static let layout = TestScenes.roomLayout(width: 40, height: 23)
    static let clean = TestScenes.photo(layout: layout, colours: TestScenes.photoColours, width: width, height: height,
                                        noise: 0, seed: 0)

    /// The room with noise, and a grey box (the occluder) at `left`...`left + 80`, rows 30...: its mask.
    static func frame(_ index: Int, left: Int, brightness: Int = 0) -> (VideoFrame, Mask) {
        var frame = TestScenes.photo(layout: layout, colours: TestScenes.photoColours.map { ($0.0 + Double(brightness), $0.1, $0.2) },
                                     width: width, height: height, noise: 4, seed: UInt64(100 + index))
        var mask = Mask(width: width, height: height)
        for y in 30..<height {
            for x in max(0, left)..<min(width, left + 80) {
                frame.y[y * width + x] = 60
                // Soft edges, like a segmenter's.
                let edge = min(x - left, left + 79 - x, y - 30)
                mask.values[y * width + x] = edge >= 3 ? 1 : 0.4 + 0.2 * Float(edge)
            }
        }
        return (frame, mask)
    }

    @Test func revealedPixelsConvergeToTheRoom() {
        let plate = BackgroundPlate(width: Self.width, height: Self.height)
        var everCovered = [Bool](repeating: false, count: Self.width * Self.height)
        var lastLeft = 0
        for index in 0..<60 {
            let left = index * 4  // moves right across the frame
            let (frame, mask) = Self.frame(index, left: left)
            plate.update(frame: frame, mask: mask)
            for i in mask.values.indices where mask.values[i] > 0 { everCovered[i] = true }
            #expect(plate.changeScore < 0.05, "frame \(index): change score \(plate.changeScore)")
            lastLeft = left
        }
        let (_, lastMask) = Self.frame(59, left: lastLeft)
        let image = plate.image()
        var error = 0.0, count = 0
        for i in everCovered.indices where everCovered[i] && lastMask.values[i] == 0 && plate.age[i] > 0 {
            error += abs(Double(image.y[i]) - Double(Self.clean.y[i]))
            count += 1
        }
        #expect(count > 20_000, "\(count) revealed pixels")
        let mae = error / Double(count)
        #expect(mae < 3, "MAE on revealed pixels \(mae)")
        #expect(plate.coverage > 0.8)
    }

    @Test func switchingTheLightsIsAChange() {
        let plate = BackgroundPlate(width: Self.width, height: Self.height)
        for index in 0..<12 {
            let (frame, mask) = Self.frame(index, left: 120)
            plate.update(frame: frame, mask: mask)
        }
        #expect(plate.changeScore < 0.05)
        let (brighter, mask) = Self.frame(12, left: 120, brightness: 40)
        plate.update(frame: brighter, mask: mask)
        #expect(plate.changeScore > 0.8)
        plate.reset()
        #expect(plate.coverage == 0 && plate.changeScore == 0)
    }

    @Test func aPersonFillingTheFrameLeavesThePlateEmpty() {
        let plate = BackgroundPlate(width: Self.width, height: Self.height)
        let (frame, _) = Self.frame(0, left: 0)
        plate.update(frame: frame, mask: Mask(width: Self.width, height: Self.height, fill: 1))
        #expect(plate.coverage == 0)
        #expect(throws: SceneError.self) { try LabelAnalyzer().analyze(plate) }
    }

    @Test func sceneSynthesizerNeverShowsTheRoom() throws {
        let synthesizer = SceneSynthesizer()
        // First frame: the person covers everything; a neutral wall, not the room.
        let (frame, _) = Self.frame(0, left: 0)
        let full = Mask(width: Self.width, height: Self.height, fill: 1)
        var background = synthesizer.background(for: frame, mask: full)
        #expect(background.width == Self.width && background.height == Self.height)
        #expect(synthesizer.scene?.appearances.count == 1)
        #expect(background.y != frame.y)
        // Then the room shows: a description of it, with its regions.
        for index in 1...40 {
            var (frame, mask) = Self.frame(index, left: index * 5)
            frame.pts = Int64(index)
            background = synthesizer.background(for: frame, mask: mask)
            #expect(background.pts == Int64(index))
        }
        let scene = try #require(synthesizer.scene)
        #expect(scene.appearances.count >= 4)
        #expect(synthesizer.sceneVersion >= 2)
    }

    @Test func aThemeDressesTheRoomsLayout() throws {
        let theme = try ThemeLibrary.builtIn.theme(named: "forest")
        let synthesizer = SceneSynthesizer(options: .init(theme: theme))
        let (frame, mask) = Self.frame(0, left: 120)
        _ = synthesizer.background(for: frame, mask: mask)
        let scene = try #require(synthesizer.scene)
        let looks = theme.entries.map(\.appearance)
        for appearance in scene.appearances {
            #expect(looks.contains { $0.lab == appearance.lab && $0.energy == appearance.energy })
        }
    }
}
