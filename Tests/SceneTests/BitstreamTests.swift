import BackdropCore
@testable import Scene
import Testing

/// The serialized scene: lossless, small, and safe against hostile input.
@Suite struct BitstreamTests {
    @Test func rangeCoderRoundTripsAnyBits() {
        var random = SplitMix64(seed: 11)
        var bits: [Bool] = []
        for i in 0..<20000 { bits.append(random.next() % UInt64(i % 7 == 0 ? 2 : 9) == 0) }
        var encoder = RangeEncoder()
        var probabilities = [UInt16](repeating: RangeEncoder.initialProbability, count: 7)
        for (i, bit) in bits.enumerated() { encoder.encode(bit, probability: &probabilities[i % 7]) }
        encoder.finish()
        var decoder = RangeDecoder(encoder.bytes[...])
        probabilities = [UInt16](repeating: RangeEncoder.initialProbability, count: 7)
        let decoded = (0..<bits.count).map { decoder.decode(probability: &probabilities[$0 % 7]) }
        #expect(decoded == bits)
        #expect(!decoder.overran)
    }

    @Test func everyLevelRoundTrips() throws {
        var scene = TestScenes.room()
        scene.thumbnail = PlateThumbnail(width: 3, height: 2, y: [1, 2, 3, 4, 5, 6], u: [7, 8, 9, 10, 11, 12],
                                         v: [13, 14, 15, 16, 17, 18])
        scene.level = .l2
        for level in SceneLevel.allCases {
            let limited = scene.limited(to: level)
            let bytes = try SceneEncoder.encode(limited)
            #expect(try SceneDecoder.decode(bytes) == limited)
        }
        #expect(try SceneEncoder.encode(scene.limited(to: .l0)).count < (try SceneEncoder.encode(scene.limited(to: .l1))).count)
    }

    @Test func anAnalysed720pRoomFitsIn2KBAtLevel0() throws {
        let layout = TestScenes.roomLayout(width: 160, height: 90)
        let photo = TestScenes.photo(layout: layout, colours: TestScenes.photoColours, width: 1280, height: 720, noise: 4, seed: 9)
        var options = LabelAnalyzer.Options()
        options.level = .l2
        let scene = try LabelAnalyzer(options: options).analyze(plate: photo, age: [UInt8](repeating: 1, count: 1280 * 720))
        let sizes = try SceneLevel.allCases.map { try SceneEncoder.encode(scene.limited(to: $0)).count }
        #expect(sizes[0] <= 2048, "L0 \(sizes[0]) bytes")
        #expect(sizes[0] < sizes[2])
    }

    @Test func unknownChunksAreSkipped() throws {
        let scene = TestScenes.room(sketch: false)
        var bytes = try SceneEncoder.encode(scene)
        bytes += [0x7F, 3, 1, 2, 3]  // a chunk from a later version
        #expect(try SceneDecoder.decode(bytes) == scene)
    }

    @Test(arguments: ["magic", "version", "level", "frame width", "truncated", "chunk length", "grid size", "label count",
                      "label value"])
    func hostileHeadersAreErrors(what: String) throws {
        var b = try SceneEncoder.encode(TestScenes.room())
        // Header 14 bytes, then the label chunk: type, 1-byte length, width, height, count, data.
        try #require(b[14] == 1 && b[15] & 0x80 == 0)
        switch what {
        case "magic": b[0] = 0x41
        case "version": b[4] = 9
        case "level": b[5] = 3
        case "frame width": (b[6], b[7]) = (0xFF, 0xFF)
        case "truncated": b.removeLast(3)
        case "chunk length": b[15] = 0x7F
        case "grid size": (b[16], b[17], b[18], b[19]) = (0x7F, 0xFF, 0x7F, 0xFF)
        case "label count": b[20] = 17
        default: b[20] = 2  // fewer labels than the map uses
        }
        #expect(throws: SceneError.self, "\(what)") { try SceneDecoder.decode(b) }
    }

    @Test func missingOrMismatchedChunksAreErrors() throws {
        let scene = TestScenes.room(sketch: false)
        let header = Array(try SceneEncoder.encode(scene).prefix(14))
        var labels: [UInt8] = []
        SceneEncoder.append16(scene.labels.width, to: &labels)
        SceneEncoder.append16(scene.labels.height, to: &labels)
        labels.append(UInt8(scene.appearances.count))
        labels += LabelMapCoder.encode(scene.labels, labelCount: scene.appearances.count)
        var onlyLabels = header
        SceneEncoder.appendChunk(.labels, labels, to: &onlyLabels)
        #expect(throws: SceneError.self) { try SceneDecoder.decode(onlyLabels) }
        var twice = onlyLabels
        SceneEncoder.appendChunk(.labels, labels, to: &twice)
        #expect(throws: SceneError.self) { try SceneDecoder.decode(twice) }
        var wrongCount = onlyLabels
        SceneEncoder.appendChunk(.appearance, [1] + [UInt8](repeating: 0, count: 13), to: &wrongCount)
        #expect(throws: SceneError.self) { try SceneDecoder.decode(wrongCount) }
    }

    /// 2000 mutated descriptions (bit flips, byte changes, truncations, insertions, splices),
    /// seeded: each decodes to a valid description or throws; none crashes. Allocation is
    /// bounded by the format's limits, checked before allocating.
    @Test func fuzzedDescriptionsNeverCrash() throws {
        var levels = TestScenes.room()
        levels.thumbnail = PlateThumbnail(width: 4, height: 3, y: [UInt8](repeating: 90, count: 12),
                                          u: [UInt8](repeating: 128, count: 12), v: [UInt8](repeating: 128, count: 12))
        levels.level = .l2
        let seeds = try [TestScenes.room(sketch: false), levels].map { try SceneEncoder.encode($0) }
        var random = SplitMix64(seed: 2024)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(max(1, n))) }
        var decoded = 0, rejected = 0
        for iteration in 0..<2000 {
            var bytes = seeds[iteration % seeds.count]
            for _ in 0..<(1 + below(4)) {
                switch below(6) {
                case 0: bytes[below(bytes.count)] ^= UInt8(1 << below(8))
                case 1: bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                case 2: bytes.removeLast(below(bytes.count))
                case 3: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: below(bytes.count + 1))
                case 4 where bytes.count > 14: bytes[14 + below(bytes.count - 14)] = [0, 0x7F, 0x80, 0xFF][below(4)]
                default: bytes += (0..<below(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                }
                if bytes.isEmpty { bytes = [0] }
            }
            do {
                let scene = try SceneDecoder.decode(bytes)
                try scene.validate()
                decoded += 1
            } catch {
                #expect(!"\(error)".isEmpty)
                rejected += 1
            }
        }
        #expect(decoded + rejected == 2000)
        #expect(rejected > 1000)
    }
}
