import Foundation

/// The hand-off between two pipeline threads: at most one item waits.
///
/// `.latest`: a new item replaces a waiting one, which is counted as dropped; the producer never
/// waits, so a slow consumer costs frames, never latency (live sources, each sink).
/// `.blocking`: the producer waits until the consumer has taken the item (files: nothing lost).
final class FrameSlot<Item: Sendable>: @unchecked Sendable {
    // Sendable by construction: every field is read and written under `condition`.
    enum Policy { case latest, blocking }

    let policy: Policy
    private let condition = NSCondition()
    private var item: Item?
    private var closed = false
    private(set) var dropped = 0

    init(policy: Policy) {
        self.policy = policy
    }

    /// Hands `item` on; returns false when the slot is closed (the consumer is gone).
    @discardableResult
    func put(_ newItem: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if policy == .blocking {
            while item != nil && !closed { condition.wait() }
        }
        guard !closed else { return false }
        if item != nil { dropped += 1 }
        item = newItem
        condition.broadcast()
        return true
    }

    /// The next item; nil once the slot is closed and empty.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while item == nil && !closed { condition.wait() }
        let taken = item
        item = nil
        condition.broadcast()
        return taken
    }

    /// No more items will come; a waiting item is still delivered.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    var droppedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }
}
