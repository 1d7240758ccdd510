import BackdropCore

/// Rate-limits a repeating log line: a stream to a closed port fails on every other packet, and
/// one line per packet would flood the journal.
struct LogThrottle {
    let interval: Double
    private var lastLogged = -Double.infinity
    private var held = 0

    init(interval: Double = 5) {
        self.interval = interval
    }

    /// Whether to log now; if so, also how many occurrences were held back since the last line.
    mutating func admit(now: Double = MonotonicClock.now()) -> (log: Bool, held: Int) {
        guard now - lastLogged >= interval else {
            held += 1
            return (false, 0)
        }
        defer { held = 0 }
        lastLogged = now
        return (true, held)
    }
}
