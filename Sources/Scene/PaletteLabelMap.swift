import BackdropCore

/// A painted label map: each distinct colour of a picture is a label, and the theme's entry
/// for that colour gives its appearance.
public enum PaletteLabelMap {
    /// What to do with colours the theme does not define.
    public enum Matching: Sendable {
        /// They are an error naming them (the default: a typo in a palette should not pass).
        case exact
        /// Every pixel snaps to the nearest palette colour (for antialiased or lossy paintings).
        case nearest
    }

    /// The scene for `image` at `frameWidth` x `frameHeight`. The map keeps its own resolution
    /// up to 1/8 of the frame; a larger painting is reduced to that by majority vote.
    public static func scene(from image: RGBImage, theme: Theme, frameWidth: Int, frameHeight: Int, seed: UInt32 = 0,
                             matching: Matching = .exact) throws(SceneError) -> SceneDescription {
        let pixelCount = image.width * image.height
        var colours = [PaletteColour](repeating: PaletteColour(red: 0, green: 0, blue: 0), count: pixelCount)
        for i in 0..<pixelCount {
            colours[i] = PaletteColour(red: image.pixels[3 * i], green: image.pixels[3 * i + 1], blue: image.pixels[3 * i + 2])
        }
        if matching == .nearest {
            var snapped: [PaletteColour: PaletteColour] = [:]
            for i in 0..<pixelCount {
                let c = colours[i]
                if let s = snapped[c] { colours[i] = s; continue }
                let s = theme.nearestEntry(to: c).colour
                snapped[c] = s
                colours[i] = s
            }
        }
        // Labels in order of first appearance.
        var index: [PaletteColour: Int] = [:]
        var distinct: [PaletteColour] = []
        var labels = [UInt8](repeating: 0, count: pixelCount)
        for i in 0..<pixelCount {
            if let l = index[colours[i]] {
                labels[i] = UInt8(l)
                continue
            }
            index[colours[i]] = distinct.count
            distinct.append(colours[i])
            if distinct.count > LabelMap.maximumLabels {
                let total = Set(colours).count
                throw .tooManyColours(count: total, limit: LabelMap.maximumLabels)
            }
            labels[i] = UInt8(distinct.count - 1)
        }
        let unknown = distinct.filter { theme.entry(for: $0) == nil }
        guard unknown.isEmpty else {
            throw .unknownColours(colours: unknown.map(\.description), theme: theme.name, known: theme.palette.map(\.description))
        }
        let map = reduced(LabelMap(width: image.width, height: image.height, labels: labels),
                          toWidth: (frameWidth + 7) / 8, height: (frameHeight + 7) / 8, labelCount: distinct.count)
        return SceneDescription(frameWidth: frameWidth, frameHeight: frameHeight, seed: seed, labels: map,
                                appearances: distinct.map { theme.entry(for: $0)!.appearance })
    }

    /// `map` reduced by majority vote to at most `toWidth` x `height` cells (unchanged if smaller).
    static func reduced(_ map: LabelMap, toWidth width: Int, height: Int, labelCount: Int) -> LabelMap {
        let (w, h) = (min(map.width, max(1, width)), min(map.height, max(1, height)))
        guard w < map.width || h < map.height else { return map }
        var result = [UInt8](repeating: 0, count: w * h)
        var votes = [Int](repeating: 0, count: labelCount)
        for cy in 0..<h {
            for cx in 0..<w {
                for l in votes.indices { votes[l] = 0 }
                for y in (cy * map.height / h)..<max(cy * map.height / h + 1, (cy + 1) * map.height / h) {
                    for x in (cx * map.width / w)..<max(cx * map.width / w + 1, (cx + 1) * map.width / w) {
                        votes[Int(map.labels[y * map.width + x])] += 1
                    }
                }
                // Ties go to the lower label.
                var best = 0
                for l in votes.indices where votes[l] > votes[best] { best = l }
                result[cy * w + cx] = UInt8(best)
            }
        }
        return LabelMap(width: w, height: h, labels: result)
    }
}
