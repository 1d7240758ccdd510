import Configuration
@testable import Daemon
import Testing

@Suite struct TOMLSnapshotTests {
    @Test func flattensTablesIntoDottedKeys() throws {
        let snapshot = try TOMLSnapshot(text: """
            source = "/dev/video0"
            sinks = ["vcam:/dev/video10", "out.mkv"]
            threads = 2
            [camera]
            width = 640
            on_demand = true
            [rates]
            max_fps = 12.5
            """)
        #expect(snapshot.values["source"] == .string("/dev/video0"))
        #expect(snapshot.values["camera.width"] == .int(640))
        #expect(snapshot.values["camera.on_demand"] == .bool(true))
        #expect(snapshot.values["rates.max_fps"] == .double(12.5))
        #expect(snapshot.values["sinks"] == .array([.string("vcam:/dev/video10"), .string("out.mkv")]))
        #expect(snapshot.values.count == 6)
    }

    @Test func answersTypedLookupsThroughTheProviderProtocol() throws {
        let snapshot = try TOMLSnapshot(text: "threads = 2\nname = \"x\"\nlist = [\"a\", \"b\"]\n[camera]\nwidth = 640\n")
        #expect(try snapshot.value(forKey: AbsoluteConfigKey(["camera", "width"]), type: .int).value?.content == .int(640))
        #expect(try snapshot.value(forKey: AbsoluteConfigKey(["threads"]), type: .string).value?.content == .string("2"))
        #expect(try snapshot.value(forKey: AbsoluteConfigKey(["threads"]), type: .double).value?.content == .double(2))
        #expect(try snapshot.value(forKey: AbsoluteConfigKey(["list"]), type: .stringArray).value?.content == .stringArray(["a", "b"]))
        #expect(try snapshot.value(forKey: AbsoluteConfigKey(["name"]), type: .stringArray).value?.content == .stringArray(["x"]))
        #expect(try snapshot.value(forKey: AbsoluteConfigKey(["absent"]), type: .string).value == nil)
        #expect(throws: TOMLSnapshot.TypeMismatch.self) {
            try snapshot.value(forKey: AbsoluteConfigKey(["name"]), type: .int)
        }
    }

    @Test func syntaxErrorsSayWhere() {
        #expect(throws: TOMLSnapshot.SyntaxError.self) { try TOMLSnapshot(text: "source = \"a\"\nthreads = = 2\n") }
        do {
            _ = try TOMLSnapshot(text: "source = \"a\"\nthreads = = 2\n")
        } catch {
            #expect(error.line == 2, "\(error)")
        }
    }

    @Test func datesAndTablesInArraysAreKeptOnlyAsUnsupported() throws {
        let snapshot = try TOMLSnapshot(text: "when = 1979-05-27\n[[boxes]]\nx = 1\n")
        #expect(snapshot.values["when"] == .unsupported(type: "date or time"))
        #expect(snapshot.values["boxes"] == .array([.unsupported(type: "table")]))
    }
}
