/// The picture layout the loopback driver settled on: what every `write()` must match.
public struct LoopbackLayout: Sendable, Equatable, CustomStringConvertible {
    public var format: LoopbackFormat
    public var width: Int
    public var height: Int
    public var bytesPerLine: Int
    /// Bytes per `write()`: one whole picture.
    public var imageSize: Int

    public init(format: LoopbackFormat, width: Int, height: Int, bytesPerLine: Int, imageSize: Int) {
        self.format = format
        self.width = width
        self.height = height
        self.bytesPerLine = bytesPerLine
        self.imageSize = imageSize
    }

    public var description: String { "\(width)x\(height) \(format)" }
}
