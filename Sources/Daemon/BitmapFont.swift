/// A 5x7 pixel font (capitals, digits, common punctuation) for the cards the daemon draws into
/// frames; no font files or rendering libraries needed on a headless box.
enum BitmapFont {
    /// A character cell with one column and one row of spacing.
    static let cellWidth = 6
    static let cellHeight = 8

    /// Each glyph as seven rows of five pixels, `#` set.
    private static let art: [Character: String] = [
        "A": ".###. #...# #...# ##### #...# #...# #...#", "B": "####. #...# #...# ####. #...# #...# ####.",
        "C": ".###. #...# #.... #.... #.... #...# .###.", "D": "####. #...# #...# #...# #...# #...# ####.",
        "E": "##### #.... #.... ####. #.... #.... #####", "F": "##### #.... #.... ####. #.... #.... #....",
        "G": ".###. #...# #.... #.### #...# #...# .####", "H": "#...# #...# #...# ##### #...# #...# #...#",
        "I": ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.", "J": "..### ...#. ...#. ...#. ...#. #..#. .##..",
        "K": "#...# #..#. #.#.. ##... #.#.. #..#. #...#", "L": "#.... #.... #.... #.... #.... #.... #####",
        "M": "#...# ##.## #.#.# #.#.# #...# #...# #...#", "N": "#...# #...# ##..# #.#.# #..## #...# #...#",
        "O": ".###. #...# #...# #...# #...# #...# .###.", "P": "####. #...# #...# ####. #.... #.... #....",
        "Q": ".###. #...# #...# #...# #.#.# #..#. .##.#", "R": "####. #...# #...# ####. #.#.. #..#. #...#",
        "S": ".#### #.... #.... .###. ....# ....# ####.", "T": "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        "U": "#...# #...# #...# #...# #...# #...# .###.", "V": "#...# #...# #...# #...# #...# .#.#. ..#..",
        "W": "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.", "X": "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        "Y": "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..", "Z": "##### ....# ...#. ..#.. .#... #.... #####",
        "0": ".###. #...# #..## #.#.# ##..# #...# .###.", "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        "2": ".###. #...# ....# ...#. ..#.. .#... #####", "3": "####. ....# ....# .###. ....# ....# ####.",
        "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.", "5": "##### #.... ####. ....# ....# #...# .###.",
        "6": "..##. .#... #.... ####. #...# #...# .###.", "7": "##### ....# ...#. ..#.. .#... .#... .#...",
        "8": ".###. #...# #...# .###. #...# #...# .###.", "9": ".###. #...# #...# .#### ....# ...#. .##..",
        " ": "..... ..... ..... ..... ..... ..... .....", ".": "..... ..... ..... ..... ..... .##.. .##..",
        ",": "..... ..... ..... ..... .##.. ..#.. .#...", ":": "..... .##.. .##.. ..... .##.. .##.. .....",
        ";": "..... .##.. .##.. ..... .##.. ..#.. .#...", "-": "..... ..... ..... ##### ..... ..... .....",
        "_": "..... ..... ..... ..... ..... ..... #####", "/": "....# ....# ...#. ..#.. .#... #.... #....",
        "\\": "#.... #.... .#... ..#.. ...#. ....# ....#", "(": "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        ")": ".#... ..#.. ...#. ...#. ...#. ..#.. .#...", "'": "..#.. ..#.. .#... ..... ..... ..... .....",
        "\"": ".#.#. .#.#. ..... ..... ..... ..... .....", "!": "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",
        "?": ".###. #...# ....# ...#. ..#.. ..... ..#..", "=": "..... ..... ##### ..... ##### ..... .....",
        "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....", "%": "##..# ##..# ...#. ..#.. .#... #..## #..##",
        "[": ".###. .#... .#... .#... .#... .#... .###.", "]": ".###. ...#. ...#. ...#. ...#. ...#. .###.",
        "<": "...#. ..#.. .#... #.... .#... ..#.. ...#.", ">": ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
        "*": "..... ..#.. #.#.# .###. #.#.# ..#.. .....", "&": ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",
        "#": ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.", "@": ".###. #...# #.### #.#.# #.### #.... .###.",
    ]

    /// Rows as bit masks (bit 4 is the leftmost pixel), parsed once.
    private static let glyphs: [Character: [UInt8]] = art.mapValues { text in
        text.split(separator: " ").map { row in
            row.reduce(UInt8(0)) { ($0 << 1) | ($1 == "#" ? 1 : 0) }
        }
    }

    /// The glyph for `character`, capitals for small letters, `?` for anything the font lacks.
    static func glyph(_ character: Character) -> [UInt8] {
        let upper = Character(character.uppercased())
        return glyphs[upper] ?? glyphs["?"]!
    }

    /// Whether the font draws `character` as itself.
    static func covers(_ character: Character) -> Bool {
        glyphs[Character(character.uppercased())] != nil
    }

    /// Width in pixels of `text` at `scale`, without the trailing spacing column.
    static func width(of text: String, scale: Int) -> Int {
        max(0, text.count * cellWidth * scale - scale)
    }

    /// Sets the pixels of `text` to `value` in a `width`-wide 8-bit plane, its top left at (x, y),
    /// each font pixel a `scale` x `scale` block; clipped at the plane's edges.
    static func draw(_ text: String, into plane: inout [UInt8], width: Int, height: Int, x: Int, y: Int, scale: Int,
                     value: UInt8) {
        plane.withUnsafeMutableBufferPointer { pixels in
            var left = x
            for character in text {
                let rows = glyph(character)
                for (row, bits) in rows.enumerated() where bits != 0 {
                    for column in 0..<5 where bits & (0x10 >> UInt8(column)) != 0 {
                        let px = left + column * scale, py = y + row * scale
                        let x0 = max(0, px), x1 = min(width, px + scale)
                        let y0 = max(0, py), y1 = min(height, py + scale)
                        guard x0 < x1, y0 < y1 else { continue }
                        for yy in y0..<y1 {
                            let base = yy * width
                            for xx in x0..<x1 { pixels[base + xx] = value }
                        }
                    }
                }
                left += cellWidth * scale
            }
        }
    }
}
