import BackdropCore
import CFFmpeg
import CV4L2
import CXNNPACK
import Foundation
import Inference

/// What this machine has for Backdrop: libraries, encoders, models (present, hash), CPU features
/// and video devices, each with the command that fixes what is missing.
public struct SystemDoctor {
    static let setupFix = "sudo scripts/setup.sh   (from a Backdrop checkout)"

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func run() -> [Check] {
        libraries() + models() + cpu() + devices()
    }

    func libraries() -> [Check] {
        func version(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xFF).\(v & 0xFF)" }
        var checks = [
            Check(area: "library", name: "libavcodec", status: .ok, detail: version(avcodec_version())),
            Check(area: "library", name: "libavformat", status: .ok, detail: version(avformat_version())),
            Check(area: "library", name: "libavutil", status: .ok, detail: version(avutil_version())),
            Check(area: "library", name: "libswscale", status: .ok, detail: version(swscale_version())),
            Check(area: "library", name: "libavdevice", status: .ok, detail: version(avdevice_version())),
            // A call that must fail with ENOENT proves libv4l2 loaded and answers.
            Check(area: "library", name: "libv4l2", status: .ok,
                  detail: backdrop_v4l2_open("/nonexistent-backdrop-probe", O_RDONLY) < 0 ? "loaded" : "unexpected answer"),
        ]
        let xnn = xnn_initialize(nil)
        checks.append(xnn == xnn_status_success
            ? Check(area: "library", name: "XNNPACK", status: .ok, detail: "initialised")
            : Check(area: "library", name: "XNNPACK", status: .missing,
                    detail: "xnn_initialize failed with status \(xnn.rawValue) (the CPU may lack SSE2)",
                    fix: "apt-get install --reinstall libxnnpack0"))
        for (encoder, required) in [("libx264", true), ("libvpx-vp9", false)] {
            let found = avcodec_find_encoder_by_name(encoder) != nil
            checks.append(Check(
                area: "encoder", name: encoder, status: found ? .ok : (required ? .missing : .warning),
                detail: found ? "available" : "not in this FFmpeg build",
                fix: found ? nil : "apt-get install libavcodec-extra59"))
        }
        avdevice_register_all()
        let lavfi = av_find_input_format("lavfi") != nil
        checks.append(Check(area: "library", name: "lavfi input", status: lavfi ? .ok : .warning,
                            detail: lavfi ? "available (lavfi: sources)" : "missing: lavfi: inputs will not open",
                            fix: lavfi ? nil : "apt-get install libavdevice59"))
        return checks
    }

    func models() -> [Check] {
        ModelCatalog.Builtin.allCases.map { model in
            let name = "\(model.rawValue) model"
            guard let url = try? ModelCatalog.resolve(model.rawValue, environment: environment) else {
                let searched = ModelCatalog.searchPath(environment: environment).joined(separator: ", ")
                return Check(area: "model", name: name, status: .missing,
                             detail: "\(model.fileName) not found in \(searched)", fix: Self.setupFix)
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                return Check(area: "model", name: name, status: .missing, detail: "\(url.path) is unreadable", fix: Self.setupFix)
            }
            let digest = SHA256.hex(data)
            guard digest == model.sha256 else {
                return Check(area: "model", name: name, status: .missing,
                             detail: "\(url.path) has SHA-256 \(digest), expected \(model.sha256)",
                             fix: "rm \(url.path) && \(Self.setupFix)")
            }
            return Check(area: "model", name: name, status: .ok, detail: "\(url.path) (SHA-256 ok)")
        }
    }

    func cpu() -> [Check] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var checks = [Check(area: "cpu", name: "cores", status: .ok, detail: "\(cores)")]
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flagsLine = info.split(separator: "\n").first { $0.hasPrefix("flags") }
        let flags = Set((flagsLine?.split(separator: ":").last ?? "").split(separator: " ").map(String.init))
        #if arch(x86_64)
        let wanted: [(String, Bool)] = [("sse2", true), ("sse4_1", false), ("avx", false), ("avx2", false), ("fma", false), ("avx512f", false)]
        let present = wanted.filter { flags.contains($0.0) }.map(\.0)
        let missingRequired = wanted.filter { $0.1 && !flags.contains($0.0) }.map(\.0)
        checks.append(Check(area: "cpu", name: "SIMD", status: missingRequired.isEmpty ? .ok : .missing,
                            detail: present.isEmpty ? "none detected" : present.joined(separator: " ")
                                + (flags.contains("avx2") ? "" : " (no AVX2: inference will be slower)")))
        #else
        checks.append(Check(area: "cpu", name: "SIMD", status: .ok, detail: flags.sorted().prefix(12).joined(separator: " ")))
        #endif
        return checks
    }

    func devices() -> [Check] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        let video = entries.filter { $0.hasPrefix("video") }.sorted()
        let loopback = FileManager.default.fileExists(atPath: "/sys/module/v4l2loopback")
        return [
            Check(area: "device", name: "video devices", status: video.isEmpty ? .warning : .ok,
                  detail: video.isEmpty ? "no /dev/video* (no camera; files and lavfi: inputs still work)"
                      : video.map { "/dev/" + $0 }.joined(separator: " ")),
            Check(area: "device", name: "v4l2loopback", status: loopback ? .ok : .warning,
                  detail: loopback ? "module loaded" : "module not loaded: no virtual camera output",
                  fix: loopback ? nil : "apt-get install v4l2loopback-dkms && modprobe v4l2loopback video_nr=10 card_label=\"Backdrop camera\" exclusive_caps=1"),
        ]
    }
}
