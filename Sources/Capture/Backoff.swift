/// Exponential backoff between reconnection attempts: `initial`, doubling, capped at `maximum`.
public struct Backoff: Sendable, Equatable {
    public var initial: Double
    public var maximum: Double
    public var factor: Double
    private var last: Double?

    public init(initial: Double = 0.25, maximum: Double = 5, factor: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
    }

    /// The delay before the next attempt, in seconds.
    public mutating func next() -> Double {
        let delay = last.map { min($0 * factor, maximum) } ?? min(initial, maximum)
        last = delay
        return delay
    }

    /// Starts over at `initial` (after a success).
    public mutating func reset() {
        last = nil
    }
}
