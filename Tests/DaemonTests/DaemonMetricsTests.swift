import BackdropCore
@testable import Daemon
import Foundation
import Pipeline
import Testing

@Suite struct DaemonMetricsTests {
    func stage(_ name: String, framesIn: Int, dropped: Int) throws -> StageStats.Snapshot {
        let json = """
            {"name":"\(name)","framesIn":\(framesIn),"framesOut":\(framesIn),"dropped":\(dropped),"errors":0,
             "cpuSeconds":0.5,"latency":{"count":1,"median":0.004,"p90":0.005,"p99":0.006,"mean":0.004,"min":0.004,"max":0.006}}
            """
        return try JSONDecoder().decode(StageStats.Snapshot.self, from: Data(json.utf8))
    }

    func value(_ text: String, _ prefix: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func countersFollowThePipelineWithoutDoubleCounting() throws {
        let metrics = DaemonMetrics()
        var text = String(decoding: metrics.render(stages: [try stage("source", framesIn: 10, dropped: 2)], fps: 29.5,
                                                   paused: false, camera: .active, uptime: 5), as: UTF8.self)
        #expect(value(text, #"backdrop_stage_frames_in_total{stage="source"}"#) == 10)
        #expect(value(text, #"backdrop_stage_frames_dropped_total{stage="source"}"#) == 2)
        #expect(value(text, "backdrop_output_frames_per_second") == 29.5)
        #expect(value(text, #"backdrop_camera_state{state="active"}"#) == 1)
        #expect(value(text, #"backdrop_camera_state{state="idle"}"#) == 0)
        text = String(decoding: metrics.render(stages: [try stage("source", framesIn: 25, dropped: 2)], fps: 30,
                                               paused: true, camera: .idle, uptime: 6), as: UTF8.self)
        #expect(value(text, #"backdrop_stage_frames_in_total{stage="source"}"#) == 25)
        #expect(value(text, "backdrop_paused") == 1)
        #expect(value(text, #"backdrop_camera_state{state="idle"}"#) == 1)
        #expect(text.contains("# TYPE backdrop_stage_frames_in_total counter"))
        #expect(value(text, #"backdrop_stage_latency_seconds{stage="source",quantile="0.99"}"#) == 0.006)
    }

    @Test func sinkBytesAreCountedByCategoryWithoutDoubleCounting() throws {
        let metrics = DaemonMetrics()
        var sink = try stage("sink selective:rtp://127.0.0.1:5004", framesIn: 30, dropped: 0)
        sink.bytes = ["picture": 40_000, "mask": 3_000, "scene": 250]
        var text = String(decoding: metrics.render(stages: [sink], fps: 30, paused: false, camera: .active, uptime: 1), as: UTF8.self)
        let prefix = #"backdrop_sink_bytes_total{stage="sink selective:rtp://127.0.0.1:5004",category="#
        #expect(value(text, prefix + #""mask"}"#) == 3_000, "\(text)")
        #expect(value(text, prefix + #""picture"}"#) == 40_000)
        sink.bytes = ["picture": 90_000, "mask": 6_100, "scene": 250]
        text = String(decoding: metrics.render(stages: [sink], fps: 30, paused: false, camera: .active, uptime: 2), as: UTF8.self)
        #expect(value(text, prefix + #""picture"}"#) == 90_000)
        #expect(value(text, prefix + #""mask"}"#) == 6_100)
        #expect(value(text, prefix + #""scene"}"#) == 250)
        #expect(text.contains("# TYPE backdrop_sink_bytes_total counter"))
        #expect(!text.contains(#"backdrop_sink_bytes_total{stage="source""#))
    }
}
