import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
struct ProgressBar {
    let enabled = isatty(STDERR_FILENO) == 1
    private var lastDraw = 0.0

    mutating func update(frames: Int, total: Int?, seconds: Double) {
        guard enabled, seconds - lastDraw >= 0.1 || frames == total else { return }
        lastDraw = seconds
        let fps = seconds > 0 ? Double(frames) / seconds : 0
        var line: String
        if let total, total > 0 {
            let fraction = min(1, Double(frames) / Double(total))
            let width = 30, filled = Int(fraction * Double(width))
            let eta = fps > 0 ? max(0, Double(total - frames) / fps) : 0
            line = "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
                + "\(frames)/\(total) frames, \(String(format: "%.1f", fps)) fps, ETA \(String(format: "%.0f", eta)) s"
        } else {
            line = "\(frames) frames, \(String(format: "%.1f", fps)) fps"
        }
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
