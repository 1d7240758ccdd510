import BackdropCore
import Foundation
import Logging
import Synchronization
import Testing
@testable import SelectiveCodec
import TestSupport

@Suite("The selective stream over RTP with loss")
struct RTPLossTests {
    /// What one receiving thread collected.
    final class Received: Sendable {
        let frames = Mutex<[SelectiveFrame]>([])
        let dropped = Mutex<Int>(0)
        let failure = Mutex<String?>(nil)
    }

    static func receive(sdp: String, port: Int, into received: Received, logger: Logger) -> Thread {
        let text = sdp.replacingOccurrences(of: #"m=video \d+"#, with: "m=video \(port)", options: .regularExpression)
        let path = NSTemporaryDirectory() + "selective-rtp-\(UUID().uuidString).sdp"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let thread = Thread {
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                let reader = try SelectiveStreamReader(input: path, silenceTimeout: 2, logger: logger)
                let decoder = SelectiveDecoder(logger: logger)
                while let picture = try reader.next() {
                    let frame = decoder.decode(picture: picture.frame, sideData: picture.sideData)
                    received.frames.withLock { $0.append(frame) }
                }
                received.dropped.withLock { $0 = reader.droppedPictures }
            } catch {
                received.failure.withLock { $0 = "\(error)" }
            }
        }
        thread.start()
        return thread
    }

    @Test("after the next keyframe the picture, the mask and the background are right again", .timeLimit(.minutes(1)))
    func lossRecovery() throws {
        let (logger, _) = recordingLogger()
        let scene = SyntheticScene()
        let frameRate = Rational(15, 1)
        let count = 75
        let relay = try UDPRelay()
        var options = scene.options
        options.keyframeInterval = 2  // 30 frames: refresh points at 0, 30 and 60
        options.crf = 20
        let directory = try TemporaryDirectory()
        let encoder = try SelectiveEncoder(destination: .rtp(host: "127.0.0.1", port: relay.port, sdpPath: directory.file("out.sdp")),
                                           width: scene.width, height: scene.height, frameRate: frameRate,
                                           timeBase: Rational(1, 15), options: options, logger: logger)
        let sdp = try #require(encoder.sdp)
        #expect(try String(contentsOfFile: directory.file("out.sdp"), encoding: .utf8) == sdp)
        #expect(sdp.contains("H264/90000") && sdp.contains("sprop-parameter-sets"))
        let cleanPort = UDPRelay.freePortPair()
        var lossyPort = UDPRelay.freePortPair()
        while lossyPort == cleanPort { lossyPort = UDPRelay.freePortPair() }
        let clean = Received(), lossy = Received()
        let threads = [Self.receive(sdp: sdp, port: cleanPort, into: clean, logger: logger),
                       Self.receive(sdp: sdp, port: lossyPort, into: lossy, logger: logger)]
        // Every other packet of frames 10...19 lost, well inside the first GOP. The sender waits
        // between frames, so the relay sees each frame's packets while `sending` names it.
        let sending = Atomic<Int>(-1)
        let keep: @Sendable (Int) -> Bool = { _ in false }
        let lose: @Sendable (Int) -> Bool = { (10..<20).contains(sending.load(ordering: .relaxed)) && $0 % 2 == 0 }
        relay.start(targets: [(cleanPort, keep), (lossyPort, lose)])
        usleep(500_000)

        var results: [SelectiveEncoder.FrameResult] = []
        // The sender's view of each scene it sent (the room's analysis may replace the first,
        // flat-colour one at any time: it runs on its own thread).
        var backgrounds: [UInt16: VideoFrame] = [:]
        let renderers = SceneRenderers.builtIn()
        for index in 0..<count {
            sending.store(index, ordering: .relaxed)
            results.append(try encoder.encode(scene.frame(index, timeBase: Rational(1, 15)), binaryMask: scene.mask(index)))
            let sent = try #require(encoder.currentScene)
            if backgrounds[sent.sceneID] == nil {
                backgrounds[sent.sceneID] = try #require(renderers.byFormat[sent.format]).render(sent.description, width: scene.width,
                                                                                                height: scene.height)
            }
            usleep(15_000)
        }
        try encoder.finish()
        for thread in threads { while !thread.isFinished { usleep(20_000) } }
        relay.stop()
        #expect(clean.failure.withLock { $0 } == nil, "\(clean.failure.withLock { $0 } ?? "")")
        #expect(lossy.failure.withLock { $0 } == nil, "\(lossy.failure.withLock { $0 } ?? "")")
        #expect(relay.packetsDropped > 0)

        let reference = clean.frames.withLock { $0 }
        let damaged = lossy.frames.withLock { $0 }
        // The clean receiver got every frame, and knows which is which from the mask sequence.
        #expect(reference.count >= count - 2, "\(reference.count) of \(count) frames")
        var index: [Int64: Int] = [:]
        for frame in reference {
            guard let sequence = frame.maskSequence else { continue }
            index[frame.picture.pts] = Int(sequence)
            #expect(frame.mask == results[Int(sequence)].mask)
        }
        // The loss did damage the lossy receiver's stream before the next keyframe...
        let before = damaged.filter { (index[$0.picture.pts] ?? 0) < 30 }
        let hurt = before.count < 30 || before.contains { !$0.maskIsCurrent }
        #expect(hurt, "the injected loss had no visible effect")
        // ...and from the keyframe at frame 30 on, everything is right again.
        let after = damaged.filter { (index[$0.picture.pts] ?? -1) >= 30 }
        #expect(after.count >= 40, "\(after.count) frames after the keyframe: \(damaged.map { index[$0.picture.pts] ?? -1 }), relay forwarded \(relay.packetsForwarded)")
        let byPts = Dictionary(reference.map { ($0.picture.pts, $0) }, uniquingKeysWith: { a, _ in a })
        for frame in after {
            let i = index[frame.picture.pts]!
            let expected = try #require(byPts[frame.picture.pts])
            #expect(samePixels(frame.picture, expected.picture), "picture of frame \(i)")
            #expect(frame.maskIsCurrent && frame.mask == results[i].mask, "mask of frame \(i)")
            #expect(frame.sceneID == results[i].sceneID, "scene of frame \(i)")
            let background = try #require(backgrounds[results[i].sceneID])
            #expect(samePixels(try #require(frame.background), background), "background of frame \(i)")
            #expect(frame.composited)
        }
        // And the picture is the one sent: the person close to the input.
        if let last = after.last, let i = index[last.picture.pts] {
            let quality = RegionQuality.psnr(reference: scene.frame(i), test: last.picture, region: scene.region(i))
            #expect((quality ?? 0) > 30)
        }
    }
}
