import Foundation
@testable import Inference
import Testing
import TFLite
import TestSupport

@Suite struct NetworkTests {
    @Test(arguments: ModelCatalog.Builtin.allCases)
    func buildsAndRunsBothModels(model: ModelCatalog.Builtin) throws {
        let network = try SegmentationNetwork(contentsOf: try ModelCatalog.resolve(model.rawValue))
        #expect(network.inputWidth == 256)
        #expect(network.inputHeight == (model == .landscape ? 144 : 256))
        #expect(network.outputWidth == network.inputWidth && network.outputHeight == network.inputHeight)
        for i in 0..<network.input.count { network.input[i] = Float(i % 7) / 7 }
        try network.run()
        #expect(network.output.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    /// A room with no one in it: a lit wall, a shelf, a door, a plant-green blob, webcam noise.
    @Test(arguments: ModelCatalog.Builtin.allCases)
    func findsNoPersonInAnEmptyRoom(model: ModelCatalog.Builtin) throws {
        let network = try SegmentationNetwork(contentsOf: try ModelCatalog.resolve(model.rawValue))
        let room = SyntheticRoom.render(width: network.inputWidth, height: network.inputHeight, seed: 7)
        for i in 0..<network.input.count { network.input[i] = Float(room[i]) / 255 }
        try network.run()
        let above = network.output.filter { $0 > 0.5 }.count
        #expect(Double(above) / Double(network.output.count) < 0.01, "\(above) of \(network.output.count) pixels above 0.5")
    }

    /// The graph rewrites (1x1 convolution before a resize, transposed convolution as a 1x1
    /// convolution with the last depth-to-space done outside the engine) change only rounding.
    @Test(arguments: ModelCatalog.Builtin.allCases)
    func graphRewritesKeepTheOutput(model: ModelCatalog.Builtin) throws {
        let tflite = try TFLiteModel(contentsOf: try ModelCatalog.resolve(model.rawValue))
        let plain = try SegmentationNetwork(model: tflite, threads: 1, rewrites: [])
        let rewritten = try SegmentationNetwork(model: tflite, threads: 1, rewrites: .all)
        let room = SyntheticRoom.render(width: plain.inputWidth, height: plain.inputHeight, seed: 3)
        for input in [room.map { Float($0) / 255 }, (0..<plain.input.count).map { Float(($0 / 3) % 256) / 255 }] {
            for network in [plain, rewritten] {
                for i in 0..<input.count { network.input[i] = input[i] }
                try network.run()
            }
            var worst: Float = 0
            for i in 0..<plain.output.count { worst = max(worst, abs(plain.output[i] - rewritten.output[i])) }
            #expect(worst < 1e-4, "rewritten graph differs by up to \(worst)")
        }
    }

    @Test func refusesTooManyThreads() throws {
        let model = try TFLiteModel(contentsOf: try ModelCatalog.resolve("landscape"))
        #expect(throws: InferenceError.self) { try SegmentationNetwork(model: model, threads: 0) }
    }

    @Test func namesAMissingModel() {
        #expect(throws: InferenceError.self) { try ModelCatalog.resolve("/nonexistent/model.tflite") }
        #expect(throws: InferenceError.self) {
            try ModelCatalog.resolve("landscape", environment: ["BACKDROP_MODELS": "/nonexistent", "HOME": "/nonexistent"])
        }
    }
}

/// A synthetic empty room, drawn in RGB24.
enum SyntheticRoom {
    static func render(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                // Wall lit from the left, darker toward the floor.
                var rgb = [200.0 - Double(x) * 0.2, 190.0 - Double(x) * 0.2, 170.0 - Double(x) * 0.25]
                if y > height * 3 / 4 { rgb = [110, 80, 60] }                                   // floor
                if x > width / 10, x < width / 10 + width / 6, y > height / 5 { rgb = [140, 100, 70] } // door
                if y > height / 3, y < height / 3 + 4, x > width / 2 { rgb = [90, 70, 50] }       // shelf
                let dx = Double(x - width * 3 / 4), dy = Double(y - height / 2)
                if dx * dx + dy * dy < Double(height * height) / 50 { rgb = [60, 120, 60] }      // plant
                for c in 0..<3 {
                    let noise = Double(Int(rng.next() % 13) - 6)
                    pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, rgb[c] + noise)))
                }
            }
        }
        return pixels
    }
}

@Suite struct ModelManifestTests {
    /// The hashes doctor checks must be the ones setup pins.
    @Test func catalogHashesMatchTheManifest() throws {
        let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Models/manifest.tsv").standardized
        let text = try String(contentsOf: manifest, encoding: .utf8)
        for model in ModelCatalog.Builtin.allCases {
            let line = text.split(separator: "\n").first { $0.hasPrefix(model.rawValue + "\t") }
            let columns = line?.split(separator: "\t").map(String.init) ?? []
            #expect(columns.count >= 7)
            #expect(columns.dropFirst().first == model.fileName)
            #expect(columns.count >= 7 && columns[6] == model.sha256)
        }
    }
}
