import BackdropCore
import Foundation
@testable import Scene
import Testing

/// The plate rewritten for speed holds exactly what the per-pixel plate held: digests of its
/// values over a scripted run, taken from that earlier implementation when the plate was
/// rewritten (SIMD and scalar code make the same IEEE operations, so they match bit for bit).
@Suite struct PlateEquivalenceTests {
    static let digests = [
        "320x180": "a8c212ff3cd74fb58719bda0c856f93b42a9b3472fc8e148f56cc56127d04bd2",
        "171x97": "49f719da477893941ced5daaafc4c7041d0c484be34e53960a425c430f315f20",
        "13x9": "3bf992e3bee84645181ed1bcaf2b1582ba9f9ce887b9d1c7ede4b98e27ec7e1c",
    ]

    /// A scripted run: a moving person with specks in the mask, the person filling the frame at
    /// frame 8, the lights going up at 24 and a reset at 30. Feeds `update` and `record`.
    static func script(width: Int, height: Int, update: (VideoFrame, Mask) -> Void, reset: () -> Void, record: () -> Void) {
        let person = MovingPerson(width: width, height: height, variants: 3)
        var random = SplitMix64(seed: 9)
        for index in 0..<40 {
            var (frame, mask) = person.frame(index, lightsUpAt: 24)
            for _ in 0..<(width * height / 400) {
                let i = Int(random.next() % UInt64(width * height))
                mask.values[i] = Float(random.next() % 100) / 100
            }
            if index == 30 { reset() }
            if index == 8 { (frame, mask) = person.hidden(index) }
            update(frame, mask)
            record()
        }
    }

    static func bytes(_ values: [Float]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    static func digest(width: Int, height: Int) -> String {
        let plate = BackgroundPlate(width: width, height: height)
        var sha = SHA256()
        script(width: width, height: height, update: { plate.update(frame: $0, mask: $1) }, reset: { plate.reset() }) {
            let image = plate.image()
            sha.update(bytes(plate.y) + bytes(plate.u) + bytes(plate.v) + plate.age + image.y + image.u + image.v)
            sha.update(bytes([Float(plate.changeScore), Float(plate.coverage), Float(plate.frameCount)]))
        }
        return SHA256.hex(sha.finalize())
    }

    @Test(arguments: [(320, 180), (171, 97), (13, 9)])
    func holdsWhatThePerPixelPlateHeld(width: Int, height: Int) {
        #expect(Self.digest(width: width, height: height) == Self.digests["\(width)x\(height)"])
    }

    @Test func aSnapshotKeepsItsMomentWhileThePlateGoesOn() {
        let (width, height) = (171, 97)
        let person = MovingPerson(width: width, height: height, variants: 3)
        let plate = BackgroundPlate(width: width, height: height)
        for index in 0..<12 { plate.update(frame: person.frame(index).0, mask: person.frame(index).1) }
        let expected = plate.image(), age = plate.age
        let snapshot = plate.snapshot()
        #expect(snapshot.image().y == expected.y && snapshot.image().u == expected.u && snapshot.image().v == expected.v)
        #expect(snapshot.age == age)
        plate.update(frame: person.frame(12).0, mask: Mask(width: width, height: height))
        #expect(snapshot.image().y == expected.y && snapshot.age == age && plate.age != age)
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

    /// Digests of the backgrounds synchronous mode gave, and of its scene versions, over the
    /// scripted run; taken from the synthesizer as it was before the asynchronous mode came.
    static let synchronousDigests: [String?: String] = [nil: "61912d2173dd9f5c41f377be680857890912adf95afffe99949642861d189806", "forest": "4e719229a829a9b4fc6b50e6c4124cc9a651d2bd790d5af8f31896af839e6843"]

    static func synchronousDigest(theme themeName: String?) throws -> (digest: String, versions: Int) {
        let theme = try themeName.map { try ThemeLibrary.builtIn.theme(named: $0) }
        let synthesizer = SceneSynthesizer(options: .init(theme: theme))
        var sha = SHA256()
        for index in 0..<Self.frameCount {
            let (frame, mask) = index == 0 ? Self.person.hidden(0) : Self.person.frame(index, lightsUpAt: Self.lightsUpAt)
            let background = synthesizer.background(for: frame, mask: mask)
            #expect(background.pts == frame.pts)
            sha.update(background.y + background.u + background.v + [UInt8(truncatingIfNeeded: synthesizer.sceneVersion)])
        }
        return (SHA256.hex(sha.finalize()), synthesizer.sceneVersion)
    }

    @Test(arguments: [nil, "forest"])
    func synchronousModeGivesTheFramesItGaveBefore(themeName: String?) throws {
        let (digest, versions) = try Self.synchronousDigest(theme: themeName)
        #expect(digest == Self.synchronousDigests[themeName])
        // The run went through a neutral wall, the room, its re-analyses and a restart.
        #expect(versions >= 3)
    }

    @Test func describingGivesTheSameScenesWithoutSynthesizing() throws {
        let drawing = SceneSynthesizer(), describing = SceneSynthesizer()
        for index in 0..<Self.frameCount {
            let (frame, mask) = index == 0 ? Self.person.hidden(0) : Self.person.frame(index, lightsUpAt: Self.lightsUpAt)
            _ = drawing.background(for: frame, mask: mask)
            #expect(describing.describe(frame, mask: mask) == drawing.scene, "frame \(index)")
            #expect(describing.sceneVersion == drawing.sceneVersion)
        }
        #expect(describing.lastSynthesisSeconds == 0 && drawing.lastSynthesisSeconds > 0)
        // A background asked for after describing is the scene's, synthesized then.
        let (frame, mask) = Self.person.frame(Self.frameCount, lightsUpAt: Self.lightsUpAt)
        let background = describing.background(for: frame, mask: mask)
        let scene = try #require(describing.scene)
        #expect(Self.same(background, try BackgroundSynthesizer().synthesize(scene, width: Self.width, height: Self.height)))
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
