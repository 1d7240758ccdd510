/// One video device node as `backdrop devices` shows it.
public struct VideoDeviceInfo: Sendable, Equatable, Codable {
    /// One pixel format with its sizes and frame rates.
    public struct Format: Sendable, Equatable, Codable {
        public var fourcc: String
        public var description: String
        /// Discrete sizes with their frame rates (highest first), when the driver lists them.
        public var sizes: [Size]
        /// A stepwise or continuous size range, e.g. "32x32-1920x1080 (step 2x2)", when it has one.
        public var sizeRange: String?
    }

    /// One frame size and the frame rates offered at it.
    public struct Size: Sendable, Equatable, Codable {
        public var width: Int
        public var height: Int
        public var frameRates: [Double]
    }

    public var path: String
    public var card: String
    public var driver: String
    public var busInfo: String
    public var canCapture: Bool
    public var canOutput: Bool
    /// A v4l2loopback node: what `vcam:` writes to.
    public var isLoopback: Bool
    /// What the node is, in words ("a video capture device", "a metadata node …").
    public var kind: String
    /// The formats of its capture side (cameras) or output side (loopback), as the hardware
    /// delivers them (libv4l2's emulated conversions are left out).
    public var formats: [Format]
    /// Why the node could not be opened or queried, if it could not.
    public var error: String?

    /// The name v4l2loopback's driver reports.
    public static let loopbackDriver = "v4l2 loopback"
}
