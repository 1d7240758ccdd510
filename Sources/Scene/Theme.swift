/// A named set of appearances, keyed by the palette colour that stands for each in a painted
/// label map (GauGAN-style: the colour says what a region is, the theme says what it looks like).
public struct Theme: Sendable, Equatable {
    /// One kind of region: its palette colour, a name, and its appearance.
    public struct Entry: Sendable, Equatable {
        public var colour: PaletteColour
        public var name: String
        public var appearance: LabelAppearance

        public init(colour: PaletteColour, name: String, appearance: LabelAppearance) {
            self.colour = colour
            self.name = name
            self.appearance = appearance
        }
    }

    public var name: String
    public var entries: [Entry]

    public init(name: String, entries: [Entry]) {
        precondition(!entries.isEmpty, "a theme needs at least one entry")
        self.name = name
        self.entries = entries
    }

    public var palette: [PaletteColour] { entries.map(\.colour) }

    public func entry(for colour: PaletteColour) -> Entry? {
        entries.first { $0.colour == colour }
    }

    /// The entry whose palette colour is nearest in RGB (ties: the first).
    public func nearestEntry(to colour: PaletteColour) -> Entry {
        entries.min { $0.colour.squaredDistance(to: colour) < $1.colour.squaredDistance(to: colour) }!
    }

    /// An analysed room dressed in this theme: labels, largest first, each take the look of the
    /// not yet used entry whose mean colour is nearest their own (CIEDE2000), so distinct regions
    /// stay distinct; the room's layout and lighting (shading) stay.
    public func dressing(_ scene: SceneDescription) -> SceneDescription {
        var dressed = scene
        let area = scene.labels.histogram()
        let order = scene.appearances.indices.sorted { (area.indices.contains($0) ? area[$0] : 0) > (area.indices.contains($1) ? area[$1] : 0) }
        var unused = Array(entries.indices)
        for label in order {
            let room = scene.appearances[label]
            let candidates = unused.isEmpty ? Array(entries.indices) : unused
            let pick = candidates.min {
                ColorDifference.ciede2000(room.lab, entries[$0].appearance.lab)
                    < ColorDifference.ciede2000(room.lab, entries[$1].appearance.lab)
            }!
            unused.removeAll { $0 == pick }
            var look = entries[pick].appearance
            look.shading = room.shading
            dressed.appearances[label] = look
        }
        return dressed
    }
}
