import Foundation

/// A region always kept as the camera sees it (a whiteboard, a product on the desk), in
/// fractions of the frame so it holds at any resolution. Written `x,y,w,h`, e.g. `0.6,0.1,0.35,0.5`.
public struct PreserveBox: Sendable, Equatable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public static let allowed = "x,y,w,h as fractions of the frame (0 to 1), w and h above 0, "
        + "x+w and y+h at most 1, e.g. 0.6,0.1,0.35,0.5"

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Parses `x,y,w,h`; nil when it is not four fractions forming a box inside the frame.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3],
              x >= 0, y >= 0, w > 0, h > 0, x + w <= 1.000001, y + h <= 1.000001 else { return nil }
        self.init(x: x, y: y, width: w, height: h)
    }

    public var description: String {
        [x, y, width, height].map { String($0) }.joined(separator: ",")
    }

    /// The pixel rectangle in a `width` x `height` frame, rounded outward so the box is kept whole.
    public func pixels(width frameWidth: Int, height frameHeight: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int) {
        let x0 = max(0, Int((x * Double(frameWidth)).rounded(.down)))
        let y0 = max(0, Int((y * Double(frameHeight)).rounded(.down)))
        let x1 = min(frameWidth, Int(((x + width) * Double(frameWidth)).rounded(.up)))
        let y1 = min(frameHeight, Int(((y + height) * Double(frameHeight)).rounded(.up)))
        return (x0, y0, x1, y1)
    }
}
