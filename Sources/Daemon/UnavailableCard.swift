import BackdropCore
import Foundation

/// The "camera unavailable" card drawn over the background while the daemon has no camera
/// frames: a dark panel in the middle with the title and the reason, so whoever looks at the
/// virtual camera sees why, rather than a frozen or empty picture. Rendered once per frame size
/// and reason, then copied into each frame row by row.
public final class UnavailableCard: @unchecked Sendable {
    // Sendable by construction: the cached patch is read and replaced under `lock`.
    public static let title = "CAMERA UNAVAILABLE"
    static let panelLuma: UInt8 = 32
    static let borderLuma: UInt8 = 96
    static let titleLuma: UInt8 = 235
    static let reasonLuma: UInt8 = 190

    /// The panel, ready to copy: its place in the frame (even, so chroma lines up) and its planes.
    struct Patch {
        var frameWidth: Int
        var frameHeight: Int
        var reason: String
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var luma: [UInt8]
    }

    private let lock = NSLock()
    private var cached: Patch?

    public init() {}

    /// Draws the card for `reason` into `frame`.
    public func draw(on frame: inout VideoFrame, reason: String) {
        let patch: Patch = lock.withLock {
            if let cached, cached.frameWidth == frame.width, cached.frameHeight == frame.height, cached.reason == reason {
                return cached
            }
            let patch = Self.render(frameWidth: frame.width, frameHeight: frame.height, reason: reason)
            cached = patch
            return patch
        }
        Self.blit(patch, into: &frame)
    }

    static func render(frameWidth: Int, frameHeight: Int, reason: String) -> Patch {
        let even = { (n: Int) in n - n % 2 }
        let margin = max(2, frameWidth / 20)
        let width = even(max(2, min(frameWidth - 2 * margin, frameWidth * 7 / 10)))
        let titleScale = max(1, width * 85 / 100 / (title.count * BitmapFont.cellWidth))
        let reasonScale = max(1, titleScale / 2)
        let maxCharacters = max(8, width * 9 / 10 / (BitmapFont.cellWidth * reasonScale))
        let lines = wrap(reason, maxCharacters: maxCharacters, maxLines: 2)
        let padding = 3 * titleScale
        let gap = 3 * titleScale
        let textHeight = 7 * titleScale
            + (lines.isEmpty ? 0 : gap + lines.count * BitmapFont.cellHeight * reasonScale - reasonScale)
        let height = even(max(2, min(frameHeight, textHeight + 2 * padding)))
        var luma = [UInt8](repeating: panelLuma, count: width * height)
        let border = max(1, titleScale / 3)
        for y in 0..<height where y < border || y >= height - border {
            for x in 0..<width { luma[y * width + x] = borderLuma }
        }
        for y in 0..<height {
            for x in 0..<min(border, width) {
                luma[y * width + x] = borderLuma
                luma[y * width + width - 1 - x] = borderLuma
            }
        }
        var top = max(0, (height - textHeight) / 2)
        BitmapFont.draw(title, into: &luma, width: width, height: height,
                        x: (width - BitmapFont.width(of: title, scale: titleScale)) / 2, y: top, scale: titleScale,
                        value: titleLuma)
        top += 7 * titleScale + gap
        for line in lines {
            BitmapFont.draw(line, into: &luma, width: width, height: height,
                            x: max(0, (width - BitmapFont.width(of: line, scale: reasonScale)) / 2), y: top,
                            scale: reasonScale, value: reasonLuma)
            top += BitmapFont.cellHeight * reasonScale
        }
        return Patch(frameWidth: frameWidth, frameHeight: frameHeight, reason: reason,
                     x: even((frameWidth - width) / 2), y: even((frameHeight - height) / 2),
                     width: width, height: height, luma: luma)
    }

    /// Copies the panel into the frame: luma as rendered, chroma neutral (a grey panel on any background).
    static func blit(_ patch: Patch, into frame: inout VideoFrame) {
        let frameWidth = frame.width
        patch.luma.withUnsafeBufferPointer { source in
            frame.y.withUnsafeMutableBufferPointer { target in
                for row in 0..<patch.height {
                    let from = row * patch.width, to = (patch.y + row) * frameWidth + patch.x
                    target.baseAddress!.advanced(by: to).update(from: source.baseAddress!.advanced(by: from), count: patch.width)
                }
            }
        }
        let chromaWidth = frame.chromaWidth
        let cx = patch.x / 2, cy = patch.y / 2, cw = patch.width / 2, ch = patch.height / 2
        for plane in [\VideoFrame.u, \VideoFrame.v] {
            frame[keyPath: plane].withUnsafeMutableBufferPointer { target in
                for row in cy..<(cy + ch) {
                    target.baseAddress!.advanced(by: row * chromaWidth + cx).update(repeating: 128, count: cw)
                }
            }
        }
    }

    /// The reason in capitals, in at most `maxLines` lines of `maxCharacters`, cut with "..." if longer.
    static func wrap(_ reason: String, maxCharacters: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for var word in reason.uppercased().split(whereSeparator: { $0.isWhitespace }).map(String.init) {
            if !current.isEmpty && current.count + 1 + word.count > maxCharacters {
                lines.append(current)
                current = ""
            }
            while word.count > maxCharacters {
                lines.append(String(word.prefix(maxCharacters)))
                word = String(word.dropFirst(maxCharacters))
            }
            current = current.isEmpty ? word : current + " " + word
        }
        if !current.isEmpty { lines.append(current) }
        guard lines.count > maxLines else { return lines }
        var kept = Array(lines.prefix(maxLines))
        kept[maxLines - 1] = String(kept[maxLines - 1].prefix(max(0, maxCharacters - 3))) + "..."
        return kept
    }
}
