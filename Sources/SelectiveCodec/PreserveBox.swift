import Foundation

/// A rectangle of the frame, in pixels, kept at full quality whatever the mask says (a
/// whiteboard, a product held up to the camera).
public struct PreserveBox: Sendable, Equatable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Parses `x,y,w,h` (non-negative integers, w and h positive).
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3],
              x >= 0, y >= 0, w > 0, h > 0, w <= 8192, h <= 8192, x <= 8192, y <= 8192 else { return nil }
        self.init(x: x, y: y, width: w, height: h)
    }

    /// Whether the box lies inside a frame of this size.
    public func fits(width frameWidth: Int, height frameHeight: Int) -> Bool {
        x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= frameWidth && y + height <= frameHeight
    }

    /// The box cut to a frame of this size (nil when nothing is left).
    public func clipped(width frameWidth: Int, height frameHeight: Int) -> PreserveBox? {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(frameWidth, x + width), y1 = min(frameHeight, y + height)
        guard x1 > x0, y1 > y0 else { return nil }
        return PreserveBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    public var description: String { "\(x),\(y),\(width),\(height)" }
}
