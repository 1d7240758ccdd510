import CV4L2

/// The capability bits of one device node (`V4L2_CAP_*`), with the questions Backdrop asks of them.
public struct DeviceCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let videoCapture = DeviceCapabilities(rawValue: UInt32(V4L2_CAP_VIDEO_CAPTURE))
    public static let videoOutput = DeviceCapabilities(rawValue: UInt32(V4L2_CAP_VIDEO_OUTPUT))
    public static let videoCaptureMultiplanar = DeviceCapabilities(rawValue: UInt32(V4L2_CAP_VIDEO_CAPTURE_MPLANE))
    public static let metadataCapture = DeviceCapabilities(rawValue: UInt32(V4L2_CAP_META_CAPTURE))
    public static let readWrite = DeviceCapabilities(rawValue: UInt32(V4L2_CAP_READWRITE))
    public static let streaming = DeviceCapabilities(rawValue: UInt32(V4L2_CAP_STREAMING))

    /// Single-planar video capture, the kind of node a webcam exposes.
    public var canCapture: Bool { contains(.videoCapture) }
    public var canOutput: Bool { contains(.videoOutput) }

    /// In words, for errors and listings: "a video capture device", "a metadata node", ….
    public var kind: String {
        if contains(.videoCapture) && contains(.videoOutput) { return "a video capture and output device" }
        if contains(.videoCapture) { return "a video capture device" }
        if contains(.videoOutput) { return "a video output device" }
        if contains(.metadataCapture) { return "a metadata node (cameras pair one with each capture node)" }
        if contains(.videoCaptureMultiplanar) { return "a multi-planar capture device (not supported)" }
        return "a device without video capture (capabilities 0x\(String(rawValue, radix: 16)))"
    }
}
