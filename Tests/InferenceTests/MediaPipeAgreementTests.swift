import BackdropCore
import Foundation
import Inference
import Media
import Testing
import TestSupport

/// The raw model output must agree with MediaPipe's own for the same model-size input
/// (fixtures made by scripts/make-reference-masks.py with mediapipe==0.10.14).
@Suite struct MediaPipeAgreementTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test(arguments: [(ModelCatalog.Builtin.landscape, 112..<400), (.portrait, 0..<512)])
    func agreesWithMediaPipe(model: ModelCatalog.Builtin, rows: Range<Int>) throws {
        let astronaut = try ImageFile.load(path: try TestMedia.path("astronaut.png"))
        #expect(astronaut.width == 512 && astronaut.height == 512)
        let input = Self.boxAverage(astronaut, rows: rows)
        // The very input MediaPipe was given when the fixture was made.
        #expect(SHA256.hex(input) == (try Self.fixtureInfo(model)["input_sha256"] as? String))

        let network = try SegmentationNetwork(contentsOf: try ModelCatalog.resolve(model.rawValue))
        #expect(input.count == network.input.count)
        for i in 0..<input.count { network.input[i] = Float(input[i]) / 255 }
        try network.run()

        let reference = try Self.reference(model)
        #expect(reference.count == network.output.count)
        var maxDiff: Float = 0
        for i in 0..<reference.count { maxDiff = max(maxDiff, abs(reference[i] - network.output[i])) }
        #expect(maxDiff < 1e-3, "max |backdrop - mediapipe| = \(maxDiff)")
        // The person is found: about half the landscape crop is the astronaut.
        let above = network.output.filter { $0 > 0.5 }.count
        #expect(Double(above) / Double(network.output.count) > 0.3)
    }

    /// The fixture script's input: the chosen rows, then a 2x2 box average rounded half up.
    static func boxAverage(_ image: RGBImage, rows: Range<Int>) -> [UInt8] {
        let outW = image.width / 2, outH = rows.count / 2
        var out = [UInt8](repeating: 0, count: outW * outH * 3)
        for y in 0..<outH {
            for x in 0..<outW {
                for c in 0..<3 {
                    func at(_ yy: Int, _ xx: Int) -> Int { Int(image.pixels[((rows.lowerBound + yy) * image.width + xx) * 3 + c]) }
                    let sum = at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)
                    out[(y * outW + x) * 3 + c] = UInt8((sum + 2) / 4)
                }
            }
        }
        return out
    }

    static func fixtureInfo(_ model: ModelCatalog.Builtin) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("astronaut_masks.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (json?["masks"] as? [String: Any])?[model.rawValue] as? [String: Any] ?? [:]
    }

    static func reference(_ model: ModelCatalog.Builtin) throws -> [Float] {
        let url = fixtures.appendingPathComponent("astronaut_\(model.rawValue)_mask.u16")
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / 2)).map { Float(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) / 65535 }
        }
    }
}
