// swift-tools-version:6.2
import PackageDescription

// Dependencies point one way: the executable wires modules together; every module leans on
// BackdropCore; the C wrappers are leaves.
let package = Package(
    name: "Backdrop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "backdrop", targets: ["backdrop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["Logging", "Reloading"]),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries from Debian, each with a shim.h for what Swift cannot import.
        .systemLibrary(
            name: "CFFmpeg", path: "Sources/CFFmpeg",
            pkgConfig: "libavcodec libavformat libavutil libswscale libavdevice",
            providers: [.apt(["libavcodec-dev", "libavformat-dev", "libavutil-dev", "libswscale-dev", "libavdevice-dev"])]),
        .systemLibrary(
            name: "CV4L2", path: "Sources/CV4L2", pkgConfig: "libv4l2",
            providers: [.apt(["libv4l-dev"])]),
        .systemLibrary(
            name: "CXNNPACK", path: "Sources/CXNNPACK",
            providers: [.apt(["libxnnpack-dev", "libpthreadpool-dev"])]),

        .target(name: "BackdropCore"),
        .target(name: "TFLite", dependencies: ["BackdropCore"]),
        .target(name: "Inference", dependencies: ["BackdropCore", "TFLite", "CXNNPACK"]),
        .target(name: "Media", dependencies: [
            "BackdropCore", "CFFmpeg", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Segmentation", dependencies: ["BackdropCore", "Inference", "Media"]),
        .target(name: "Compositing", dependencies: ["BackdropCore", "Scene"]),
        .target(name: "Processing", dependencies: [
            "BackdropCore", "Media", "Segmentation", "Compositing",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Capture", dependencies: [
            "BackdropCore", "CV4L2", "CFFmpeg", "Media", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "VirtualCamera", dependencies: [
            "BackdropCore", "CV4L2", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Streaming", dependencies: [
            "BackdropCore", "CFFmpeg", "Media", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Scene", dependencies: ["BackdropCore"]),
        .target(name: "Pipeline", dependencies: [
            "BackdropCore", "Media", "Segmentation", "Compositing", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SelectiveCodec", dependencies: [
            "BackdropCore", "CFFmpeg", "Media", "Segmentation", "Scene", "Compositing", "Streaming",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Daemon", dependencies: [
            "BackdropCore", "Pipeline", "Compositing", "Segmentation", "Media",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Configuration", package: "swift-configuration"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .target(name: "Diagnostics", dependencies: ["BackdropCore", "Inference", "CFFmpeg", "CXNNPACK", "CV4L2"]),
        .target(name: "Benchmarks", dependencies: ["BackdropCore", "Inference", "Media", "Segmentation"]),
        .executableTarget(name: "backdrop", dependencies: [
            "BackdropCore", "TFLite", "Inference", "Media", "Segmentation", "Compositing", "Processing", "Benchmarks", "Diagnostics",
            "Capture", "VirtualCamera", "Streaming", "Scene", "Pipeline", "Daemon", "SelectiveCodec",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Helpers shared by the test targets: temporary directories, a recording logger, test
        // media, frame comparison.
        .target(name: "TestSupport", dependencies: [
            "BackdropCore", "Media", .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["BackdropCore"]),
        .testTarget(name: "TFLiteTests", dependencies: ["TFLite", "TestSupport"]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "TFLite", "Media", "BackdropCore", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "MediaTests", dependencies: [
            "Media", "BackdropCore", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SegmentationTests", dependencies: ["Segmentation", "BackdropCore", "TestSupport"]),
        .testTarget(name: "CompositingTests", dependencies: ["Compositing", "BackdropCore", "TestSupport"]),
        .testTarget(name: "ProcessingTests", dependencies: [
            "Processing", "Media", "Segmentation", "Compositing", "BackdropCore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CaptureTests", dependencies: [
            "Capture", "BackdropCore", "Media", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "VirtualCameraTests", dependencies: [
            "VirtualCamera", "BackdropCore", "Media", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "StreamingTests", dependencies: [
            "Streaming", "BackdropCore", "Media", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SceneTests", dependencies: ["Scene", "BackdropCore", "Media"]),
        .testTarget(name: "PipelineTests", dependencies: [
            "Pipeline", "BackdropCore", "Media", "Compositing", "Segmentation", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DaemonTests", dependencies: [
            "Daemon", "BackdropCore", "Pipeline", "Compositing", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SelectiveCodecTests", dependencies: [
            "SelectiveCodec", "BackdropCore", "Media", "Segmentation", "Scene", "Streaming", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "BackdropCLITests", dependencies: ["BackdropCore", "Media", "TestSupport", .product(name: "Logging", package: "swift-log")]),
    ],
    swiftLanguageModes: [.v6]
)
