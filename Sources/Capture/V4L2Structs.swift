import CV4L2

/// Reads a NUL-terminated C string the kernel stored in a fixed-size array (a tuple in Swift).
func cString<T>(fromTuple tuple: T) -> String {
    withUnsafeBytes(of: tuple) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

extension v4l2_capability {
    var cardName: String { cString(fromTuple: card) }
    var driverName: String { cString(fromTuple: driver) }
    var busName: String { cString(fromTuple: bus_info) }
    /// What this node can do: `device_caps` when the driver fills it in (`capabilities` then
    /// describes the whole physical device, all of its nodes together).
    var nodeCapabilities: DeviceCapabilities {
        DeviceCapabilities(rawValue: capabilities & UInt32(V4L2_CAP_DEVICE_CAPS) != 0 ? device_caps : capabilities)
    }
}

extension v4l2_fmtdesc {
    var descriptionText: String { cString(fromTuple: description) }
    var isEmulated: Bool { flags & UInt32(V4L2_FMT_FLAG_EMULATED) != 0 }
}

/// Buffer and memory type constants as the structures store them.
enum V4L2Constants {
    static let captureType = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
    static let outputType = V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue
    static let mmapMemory = V4L2_MEMORY_MMAP.rawValue
}
