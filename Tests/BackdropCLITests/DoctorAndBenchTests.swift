import Foundation
import Testing
import TestSupport

@Suite struct DoctorAndBenchTests {
    @Test func doctorPassesWhenModelsArePresent() throws {
        let result = try BackdropBinary.run(["doctor"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("landscape model"))
        #expect(result.stdout.contains("SHA-256 ok"))
    }

    @Test func doctorFailsAndSaysHowToFixMissingModels() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var env = ProcessInfo.processInfo.environment
        env["BACKDROP_MODELS"] = dir.path
        env["HOME"] = dir.path
        let result = try BackdropBinary.run(["doctor"], environment: env)
        #expect(result.status == 69)
        #expect(result.stdout.contains("MISS"))
        #expect(result.stdout.contains("setup.sh"))
    }

    @Test func doctorRefusesACorruptModel() throws {
        let dir = try BackdropBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("not a model".utf8).write(to: dir.appendingPathComponent("selfie_segmentation_landscape.tflite"))
        var env = ProcessInfo.processInfo.environment
        env["BACKDROP_MODELS"] = dir.path
        let result = try BackdropBinary.run(["doctor"], environment: env)
        #expect(result.status == 69)
        #expect(result.stdout.contains("expected a77d03f4"), "\(result.stdout)")
    }

    @Test func benchSegmentationPrintsOneJSONObject() throws {
        let result = try BackdropBinary.run(["bench", "segmentation", "--json", "--iterations", "3", "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let models = json?["models"] as? [String: Any]
        #expect(models?.keys.sorted() == ["landscape", "portrait"])
        let landscape = (models?["landscape"] as? [String: Any])?["threads"] as? [String: Any]
        let one = landscape?["1"] as? [String: Any]
        let engine = one?["engine"] as? [String: Any]
        #expect((engine?["median_ms"] as? Double ?? 0) > 0)
        #expect(one?["mask_step_1280x720"] != nil)
    }
}
