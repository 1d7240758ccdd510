import BackdropCore
import Foundation
import Testing
@testable import SelectiveCodec
import TestSupport

@Suite("selective: sinks")
struct SinkTests {
    @Test("selective:FILE writes a selective stream from frames and masks; composited frames are sent whole")
    func fileSink() throws {
        let (logger, store) = recordingLogger()
        let directory = try TemporaryDirectory()
        let scene = SyntheticScene()
        let path = directory.file("sink.mp4")
        let sink = try SelectiveSink(address: try SinkAddress(parsing: "selective:\(path)?crf=24&keyint=4"), frameRate: Rational(15, 1),
                                     logger: logger)
        for index in 0..<8 { try sink.write(frame: scene.frame(index), mask: scene.mask(index).probability) }
        try sink.write(scene.frame(8))
        try sink.finish()
        #expect(store.messages(atLeast: .warning).contains { $0.contains("without masks") })

        let reader = try SelectiveStreamReader(input: path, logger: logger)
        let decoder = SelectiveDecoder(logger: logger)
        var received: [SelectiveFrame] = []
        while let picture = try reader.next() { received.append(decoder.decode(picture: picture.frame, sideData: picture.sideData)) }
        #expect(received.count == 9)
        for index in 0..<8 { #expect(received[index].mask == scene.mask(index)) }
        #expect(received[8].mask?.bits.allSatisfy { $0 == 1 } == true)
        #expect(try #require(sink.stats).sceneKeyframes >= 3)  // keyint 4 frames: 0, 4, 8
    }

    @Test("a full-frame probability mask is area-averaged to the coding size before it is binarized")
    func fullFrameMask() throws {
        let (logger, _) = recordingLogger()
        let directory = try TemporaryDirectory()
        let scene = SyntheticScene()
        var base = SelectiveEncoderOptions()
        base.maskMaximumSide = 64
        let sink = try SelectiveSink(address: .selective(.file(path: directory.file("full.mkv"))), frameRate: Rational(15, 1),
                                     base: base, logger: logger)
        let region = scene.region(0)
        let full = Mask(width: scene.width, height: scene.height, values: region.map { Float($0) })
        try sink.write(frame: scene.frame(0), mask: full)
        try sink.finish()
        let reader = try SelectiveStreamReader(input: directory.file("full.mkv"), logger: logger)
        let picture = try #require(try reader.next())
        let mask = try #require(SelectiveDecoder(logger: logger).decode(picture: picture.frame, sideData: picture.sideData).mask)
        // 160x96 fitted into 64: 64x38, the frame's aspect.
        #expect(mask.width == 64 && mask.height == 38)
        #expect(mask.intersectionOverUnion(SyntheticScene(maskWidth: 64, maskHeight: 38).mask(0)) > 0.9)
    }

    @Test("bad addresses and options are refused with the reason")
    func refusals() throws {
        let (logger, _) = recordingLogger()
        for text in ["selective:out.avi", "selective:rtp://127.0.0.1:5004?crf=99", "selective:rtp://127.0.0.1:5004?colour=red",
                     "selective:out.mp4?preserve=1,2,3", "selective:rtp://127.0.0.1:5004?keyint=0"] {
            #expect(throws: SelectiveCodecError.self, "\(text)") {
                _ = try SelectiveSink(address: try SinkAddress(parsing: text), frameRate: Rational(30, 1), logger: logger)
            }
        }
        #expect(throws: SelectiveCodecError.self) {
            _ = try SelectiveSink(address: .file(path: "out.mp4"), frameRate: Rational(30, 1), logger: logger)
        }
        let options = try SelectiveEncoderOptions(query: ["bitrate": "300k", "keyint": "60", "preserve": "0,0,10,10;5,5,20,20",
                                                          "padding": "flat"], frameRate: Rational(30, 1))
        #expect(options.bitRate == 300_000)
        #expect(options.keyframeInterval == 2)
        #expect(options.boxes == [PreserveBox(x: 0, y: 0, width: 10, height: 10), PreserveBox(x: 5, y: 5, width: 20, height: 20)])
        #expect(options.padding == .flat)
    }

    @Test("an output that cannot be created is an error; a closed RTP port is not")
    func unwritable() throws {
        let (logger, store) = recordingLogger()
        let scene = SyntheticScene()
        #expect(throws: SelectiveCodecError.self) {
            _ = try SelectiveEncoder(destination: .file(path: "/nonexistent-directory/out.mp4"), width: scene.width,
                                     height: scene.height, frameRate: Rational(15, 1), timeBase: Rational(1, 15), logger: logger)
        }
        // Nobody listens on this port: packets are lost, the sender goes on.
        let port = UDPRelay.freePortPair()
        let encoder = try SelectiveEncoder(destination: .rtp(host: "127.0.0.1", port: port, sdpPath: nil), width: scene.width,
                                           height: scene.height, frameRate: Rational(15, 1), timeBase: Rational(1, 15),
                                           options: scene.options, scene: FlatColourScene(), logger: logger)
        for index in 0..<10 { try encoder.encode(scene.frame(index), binaryMask: scene.mask(index)) }
        try encoder.finish()
        #expect(encoder.framesEncoded == 10)
        #expect(encoder.sendErrors > 0)
        #expect(store.messages(atLeast: .warning).contains { $0.contains("nobody is listening") })
    }
}
