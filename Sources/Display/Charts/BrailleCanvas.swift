/// A grid of Unicode braille cells, each holding 2×4 dots, for drawing lines in a terminal.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    private(set) var masks: [UInt8]
    /// Which layer (series) last drew into each cell, -1 for none: the cell's colour.
    private(set) var owners: [Int]

    init(columns: Int, rows: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        masks = Array(repeating: 0, count: self.columns * self.rows)
        owners = Array(repeating: -1, count: self.columns * self.rows)
    }

    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    /// Bit for the dot at (dx, dy) inside a cell (dx in 0...1, dy in 0...3).
    private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (x, y), (0, 0) being the top-left; dots outside are ignored.
    mutating func set(_ x: Int, _ y: Int, owner: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y / 4) * columns + x / 2
        masks[i] |= BrailleCanvas.bits[x % 2][y % 4]
        owners[i] = owner
    }

    /// Bresenham line between two dots (clipped dot by dot).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, owner: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var steps = 0
        while steps <= dx - dy + 1 {
            set(x, y, owner: owner)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            steps += 1
        }
    }

    func character(_ col: Int, _ row: Int) -> Character {
        let m = masks[row * columns + col]
        return Character(Unicode.Scalar(0x2800 + UInt32(m))!)
    }

    func owner(_ col: Int, _ row: Int) -> Int { owners[row * columns + col] }
}

/// Glyphs marking each series' last point and its legend entry (they tell series apart
/// when colour is off).
enum SeriesGlyph {
    static let all: [String] = ["●", "■", "▲", "◆", "★", "✚", "◼", "▼"]
    static func glyph(_ i: Int) -> String { all[i % all.count] }
}
