import BackdropCore
import Foundation
@testable import Scene
import Testing

/// The plate rewritten for speed holds exactly what it held before.
@Suite struct PlateEquivalenceTests {
    @Test(arguments: [(320, 180), (171, 97), (13, 9)])
    func holdsTheReferenceValuesBitForBit(width: Int, height: Int) {
        let person = MovingPerson(width: width, height: height, variants: 3)
        let plate = BackgroundPlate(width: width, height: height)
        let reference = ReferencePlate(width: width, height: height)
        var random = SplitMix64(seed: 9)
        for index in 0..<40 {
            var (frame, mask) = person.frame(index, lightsUpAt: 24)
            // Specks in the mask too, so single values decide blocks.
            for _ in 0..<(width * height / 400) {
                let i = Int(random.next() % UInt64(width * height))
                mask.values[i] = Float(random.next() % 100) / 100
            }
            if index == 30 {
                plate.reset()
                reference.reset()
            }
            if index == 8 {  // the person fills the frame
                (frame, mask) = person.hidden(index)
            }
            plate.update(frame: frame, mask: mask)
            reference.update(frame: frame, mask: mask)
            #expect(plate.y == reference.y && plate.u == reference.u && plate.v == reference.v, "frame \(index)")
            #expect(plate.age == reference.age, "frame \(index)")
            #expect(plate.changeScore == reference.changeScore, "frame \(index)")
            #expect(plate.coverage == reference.coverage, "frame \(index)")
            #expect(plate.frameCount == reference.frameCount)
            let (image, expected) = (plate.image(), reference.image())
            #expect(image.y == expected.y && image.u == expected.u && image.v == expected.v, "frame \(index)")
        }
        let snapshot = plate.snapshot()
        let expected = reference.image()
        #expect(snapshot.image().y == expected.y && snapshot.image().u == expected.u && snapshot.image().v == expected.v)
        #expect(snapshot.age == reference.age)
        // The snapshot keeps its moment while the plate goes on.
        plate.update(frame: person.frame(40).0, mask: Mask(width: width, height: height))
        #expect(snapshot.image().y == expected.y && snapshot.age == reference.age && plate.age != reference.age)
    }
}

/// `SceneSynthesizer`'s two modes: synchronous gives the frames it always gave; asynchronous
/// never waits for an analysis, shows a neutral wall until the first is done, and then the
/// same backgrounds as synchronous, a frame later.
@Suite struct AsynchronousSceneTests {
    static let (width, height) = (320, 180)
    static let person = MovingPerson(width: width, height: height)
    /// Frames 0..<frameCount; the lights go up at 40, which restarts the plate 5 frames later.
    static let frameCount = 70
    static let lightsUpAt = 40
    /// Generous: an analysis takes well under a second even in a debug build on a busy machine.
    static let timeout = 300.0

    static func neutralWall(theme: Theme? = nil) throws -> VideoFrame {
        var wall = SceneSynthesizer.neutral(width: width, height: height, seed: 0)
        if let theme { wall = theme.dressing(wall) }
        return try BackgroundSynthesizer().synthesize(wall)
    }

    static func same(_ a: VideoFrame, _ b: VideoFrame) -> Bool {
        a.width == b.width && a.height == b.height && a.y == b.y && a.u == b.u && a.v == b.v
    }

    @Test func synchronousIsTheDefault() {
        #expect(!SceneSynthesizer.Options().asynchronous)
        #expect(SceneSynthesizer().worker == nil)
    }

    @Test(arguments: [nil, "forest"])
    func synchronousModeGivesTheFramesItGaveBefore(themeName: String?) throws {
        let theme = try themeName.map { try ThemeLibrary.builtIn.theme(named: $0) }
        let synthesizer = SceneSynthesizer(options: .init(theme: theme))
        let reference = ReferenceSceneSynthesizer(options: .init(theme: theme))
        for index in 0..<Self.frameCount {
            let (frame, mask) = index == 0 ? Self.person.hidden(0) : Self.person.frame(index, lightsUpAt: Self.lightsUpAt)
            let background = synthesizer.background(for: frame, mask: mask)
            let expected = reference.background(for: frame, mask: mask)
            #expect(Self.same(background, expected), "frame \(index)")
            #expect(background.pts == expected.pts)
            #expect(synthesizer.scene == reference.scene && synthesizer.sceneVersion == reference.sceneVersion)
        }
        // The run went through a neutral wall, the room, its re-analyses and a restart.
        #expect(synthesizer.sceneVersion >= 3)
    }

    @Test func theFirstCallDoesNotWaitForTheAnalysis() throws {
        let synthesizer = SceneSynthesizer(options: .init(asynchronous: true))
        let (frame, mask) = Self.person.frame(0)
        // Most of the room is in view: synchronously this call would analyse it.
        let first = synthesizer.background(for: frame, mask: mask)
        #expect(Self.same(first, try Self.neutralWall()))
        #expect(synthesizer.scene?.appearances.count == 1 && synthesizer.sceneVersion == 1)
        #expect(first.y != frame.y)

        #expect(synthesizer.waitForAnalysis(timeout: Self.timeout))
        let (next, nextMask) = Self.person.frame(1)
        let second = synthesizer.background(for: next, mask: nextMask)
        // The room's own description, as a synchronous synthesizer made it from frame 0.
        let synchronous = SceneSynthesizer()
        let expected = synchronous.background(for: frame, mask: mask)
        #expect(Self.same(second, expected))
        #expect(synthesizer.scene == synchronous.scene)
        #expect((synthesizer.scene?.appearances.count ?? 0) >= 4)
        #expect(synthesizer.sceneVersion == 2 && second.pts == 1)
    }

    /// Given time after every frame, asynchronous shows at frame i + 1 what synchronous showed
    /// at frame i: the same analyses of the same plates, through re-analyses and a restart.
    @Test func givenTimeItShowsTheSynchronousFramesAFrameLater() throws {
        let asynchronous = SceneSynthesizer(options: .init(asynchronous: true))
        let synchronous = SceneSynthesizer()
        var previous: (VideoFrame, SceneDescription?)?
        var changes = 0
        for index in 0..<Self.frameCount {
            let (frame, mask) = Self.person.frame(index, lightsUpAt: Self.lightsUpAt)
            let background = asynchronous.background(for: frame, mask: mask)
            #expect(background.pts == Int64(index))
            if let (expected, scene) = previous {
                #expect(Self.same(background, expected), "frame \(index)")
                #expect(asynchronous.scene == scene, "frame \(index)")
            } else {
                #expect(Self.same(background, try Self.neutralWall()))
            }
            #expect(asynchronous.waitForAnalysis(timeout: Self.timeout))
            let before = synchronous.sceneVersion
            previous = (synchronous.background(for: frame, mask: mask), synchronous.scene)
            if synchronous.sceneVersion != before { changes += 1 }
        }
        #expect(changes >= 2, "\(changes) descriptions")
    }

    @Test func aPersonFillingTheFrameKeepsTheNeutralWall() throws {
        let theme = try ThemeLibrary.builtIn.theme(named: "beach")
        let synthesizer = SceneSynthesizer(options: .init(theme: theme, asynchronous: true))
        let wall = try Self.neutralWall(theme: theme)
        for index in 0..<3 {
            let (frame, mask) = Self.person.hidden(index)
            let background = synthesizer.background(for: frame, mask: mask)
            #expect(Self.same(background, wall), "frame \(index)")
            #expect(background.y != frame.y)
            #expect(synthesizer.waitForAnalysis(timeout: Self.timeout))
        }
        #expect(synthesizer.scene?.appearances.count == 1 && synthesizer.sceneVersion == 1)
    }

    /// A background analysed for a plate that has since been replaced (new frame size) never shows.
    @Test func aResultForAnOldPlateIsDropped() throws {
        let synthesizer = SceneSynthesizer(options: .init(asynchronous: true))
        let (frame, mask) = Self.person.frame(0)
        _ = synthesizer.background(for: frame, mask: mask)  // a job for 320x180
        let small = MovingPerson(width: 160, height: 90)
        for index in 0..<2 {
            let (frame, mask) = small.hidden(index)
            let background = synthesizer.background(for: frame, mask: mask)
            #expect(background.width == 160 && background.height == 90, "frame \(index)")
            #expect(synthesizer.scene?.frameWidth == 160 && synthesizer.scene?.appearances.count == 1)
            #expect(synthesizer.waitForAnalysis(timeout: Self.timeout))
        }
    }

    @Test func theWorkerStopsWithTheSynthesizer() throws {
        var synthesizer: SceneSynthesizer? = SceneSynthesizer(options: .init(asynchronous: true))
        let worker = try #require(synthesizer?.worker)
        let (frame, mask) = Self.person.frame(0)
        _ = synthesizer?.background(for: frame, mask: mask)  // an analysis waiting or running
        synthesizer = nil
        #expect(worker.waitUntilExited(timeout: Self.timeout))
    }
}
