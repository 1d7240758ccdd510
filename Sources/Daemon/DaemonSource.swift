import BackdropCore
import Foundation
import Logging

/// The daemon's input: the configured source, opened now or on demand, kept up so the pipeline
/// never starves. While the input cannot be had (no camera at boot, unplugged, a stream that
/// ended) it hands on `.unavailable` a few times a second, so sinks keep getting the background
/// with the "camera unavailable" card, and reopens with backoff. On demand, with no application
/// reading the virtual camera, the camera is closed and a picture a second keeps the virtual
/// camera alive. It also caps the frame rate (`rates.max_fps`, live).
///
/// Used from the pipeline's source thread only; what others need to see goes through `state`.
final class DaemonSource: FrameSource {
    let name: String
    let isLive: Bool
    /// Between `.unavailable` events while the input is away.
    static let unavailableInterval = 0.2
    /// Between pictures while nobody reads the virtual camera.
    static let idleInterval = 1.0
    /// How long the camera stays open after the last reader leaves (an app restarting its stream).
    static let closeGrace = 3.0

    private let open: () throws -> any FrameSource
    private let reopens: Bool
    private let monitor: (any ConsumerMonitor)?
    private let state: DaemonState
    private let logger: Logger
    private let sleep: (Double) -> Void
    private let clock: () -> Double
    private var inner: (any FrameSource)?
    private var failure: String?
    private var delay = Backoff()
    private var nextAttempt = 0.0
    private var lastReader = -Double.infinity
    private var nextDue = 0.0
    private var closed = false

    /// - Parameters:
    ///   - reopens: a camera or network input is waited for when it cannot be opened; a file fails at once.
    ///   - monitor: readers of the virtual camera, for on-demand capture; nil keeps the input open.
    ///   - sleep, clock: how it waits and tells time; tests pass their own.
    ///   - open: makes the real source; may be called many times.
    init(name: String, isLive: Bool, reopens: Bool, monitor: (any ConsumerMonitor)?, state: DaemonState, logger: Logger,
         sleep: @escaping (Double) -> Void = { Thread.sleep(forTimeInterval: $0) },
         clock: @escaping () -> Double = MonotonicClock.now,
         open: @escaping () throws -> any FrameSource) throws {
        self.name = name
        self.isLive = isLive
        self.open = open
        self.reopens = reopens
        self.monitor = monitor
        self.state = state
        self.logger = logger
        self.sleep = sleep
        self.clock = clock
        guard monitor == nil else { return }
        do {
            inner = try open()
        } catch {
            guard reopens else { throw error }
            noteFailure("\(error)")
        }
    }

    func next() throws -> SourceEvent? {
        while !closed {
            if let idle = idleEvent() { return idle }
            guard let source = inner else {
                if let event = attemptOpen() { return event }
                continue
            }
            let event: SourceEvent?
            do {
                event = try source.next()
            } catch {
                guard reopens else { throw error }
                return lose("\(name) failed: \(error)")
            }
            guard let event else {
                guard reopens else { return nil }
                return lose("\(name) ended")
            }
            switch event {
            case .frame:
                if state.camera != .active {
                    state.camera = .active
                    logger.notice("input is delivering frames", metadata: ["source": "\(name)"])
                }
                if skipForRateCap() { continue }
                return event
            case let .unavailable(reason):
                state.camera = .unavailable(reason)
                return event
            }
        }
        return nil
    }

    /// The opened source, to read its size and rate before the pipeline takes this one over.
    var current: (any FrameSource)? { inner }

    func close() {
        closed = true
        inner?.close()
        inner = nil
    }

    /// On demand with nobody reading: the camera closed (after a grace period) and a slow idle picture.
    private func idleEvent() -> SourceEvent? {
        guard let monitor else { return nil }
        let now = clock()
        if monitor.consumers(waitingUpTo: 0) > 0 {
            lastReader = now
            return nil
        }
        guard now - lastReader >= Self.closeGrace else { return nil }
        if let source = inner {
            source.close()
            inner = nil
            logger.notice("no application reads the virtual camera: camera closed", metadata: ["source": "\(name)"])
        }
        if state.camera != .idle { state.camera = .idle }
        // Wakes at once when a reader comes, so the camera opens without waiting out the second.
        if monitor.consumers(waitingUpTo: Self.idleInterval) > 0 { return nil }
        return .unavailable(reason: "camera off until an application uses the virtual camera")
    }

    /// Tries to open when the backoff allows; otherwise waits a tick and reports the input away.
    private func attemptOpen() -> SourceEvent? {
        if clock() >= nextAttempt {
            do {
                inner = try open()
                if failure != nil { logger.notice("input is back", metadata: ["source": "\(name)"]) }
                failure = nil
                delay.reset()
                return nil
            } catch {
                noteFailure("\(error)")
            }
        }
        sleep(Self.unavailableInterval)
        let reason = failure ?? "\(name) is unavailable"
        state.camera = .unavailable(reason)
        return .unavailable(reason: reason)
    }

    private func lose(_ reason: String) -> SourceEvent {
        inner?.close()
        inner = nil
        noteFailure(reason)
        return .unavailable(reason: reason)
    }

    private func noteFailure(_ reason: String) {
        if failure != reason {
            logger.warning("input unavailable; retrying with backoff", metadata: ["source": "\(name)", "reason": "\(reason)"])
        }
        failure = reason
        state.camera = .unavailable(reason)
        nextAttempt = clock() + delay.next()
    }

    /// Drops frames that come sooner than `rates.max_fps` allows, spreading the kept ones evenly.
    private func skipForRateCap() -> Bool {
        let cap = state.maxFPS
        guard cap > 0 else { return false }
        let interval = 1 / cap
        let now = clock()
        // Half an interval of slack: a camera's jitter must not cost frames when the cap matches its rate.
        guard now >= nextDue - interval / 2 else { return true }
        // Keep to the schedule; start it again after a pause (or the first frame).
        nextDue = now - nextDue > interval ? now + interval : nextDue + interval
        return false
    }

    /// Doubling waits between attempts to open, capped.
    struct Backoff {
        private var current = 0.0

        mutating func next() -> Double {
            current = current == 0 ? 0.5 : min(current * 2, 5)
            return current
        }

        mutating func reset() {
            current = 0
        }
    }
}
