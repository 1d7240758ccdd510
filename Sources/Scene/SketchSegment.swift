/// A straight edge of the room (a shelf, a blind, a door frame) drawn over the synthesized
/// background: end points in 1/4095ths of the frame, and its contrast in luma code values.
public struct SketchSegment: Sendable, Equatable {
    public static let coordinateScale = 4095
    public static let byteCount = 8

    public var x0: UInt16
    public var y0: UInt16
    public var x1: UInt16
    public var y1: UInt16
    /// A thin line: how much brighter (positive) or darker the line is than its surroundings.
    public var ridge: Int8
    /// An edge: half the luma step from the right-hand side to the left-hand side, looking from
    /// (x0, y0) to (x1, y1) with y pointing down.
    public var step: Int8

    public init(x0: UInt16, y0: UInt16, x1: UInt16, y1: UInt16, ridge: Int8, step: Int8) {
        precondition([x0, y0, x1, y1].allSatisfy { Int($0) <= Self.coordinateScale }, "sketch coordinate range")
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.ridge = ridge
        self.step = step
    }
}
