import BackdropCore
import Foundation

/// What the daemon's threads share: the live settings a reload or the control socket change
/// (read by the source and segmenter threads every frame), and what status reports.
public final class DaemonState: @unchecked Sendable {
    // Sendable by construction: every field is read and written under `lock`.
    private let lock = NSLock()
    private var running: DaemonConfiguration
    private var backgroundText: String
    private var cameraState = CameraState.starting
    private var restartKeys: [String] = []
    private var framesPerSecond = 0.0
    private var isReady = false
    /// When the daemon started, on the monotonic clock.
    public let startTime = MonotonicClock.now()

    public init(configuration: DaemonConfiguration) {
        running = configuration
        backgroundText = configuration.background.description
    }

    /// The configuration in effect (after reloads, live keys only).
    public var configuration: DaemonConfiguration {
        get { lock.withLock { running } }
        set { lock.withLock { running = newValue } }
    }

    /// The background in effect; `backdrop set background` changes it without touching the configuration.
    public var background: String {
        get { lock.withLock { backgroundText } }
        set { lock.withLock { backgroundText = newValue } }
    }

    public var preserve: [PreserveBox] { lock.withLock { running.preserve } }
    public var maxFPS: Double { lock.withLock { running.maxFPS } }

    public var camera: CameraState {
        get { lock.withLock { cameraState } }
        set { lock.withLock { cameraState = newValue } }
    }

    /// Keys changed in the file that only a restart applies.
    public var pendingRestart: [String] {
        get { lock.withLock { restartKeys } }
        set { lock.withLock { restartKeys = newValue } }
    }

    public var fps: Double {
        get { lock.withLock { framesPerSecond } }
        set { lock.withLock { framesPerSecond = newValue } }
    }

    /// Whether the first sink has been fed (READY=1 was sent).
    public var ready: Bool {
        get { lock.withLock { isReady } }
        set { lock.withLock { isReady = newValue } }
    }
}
