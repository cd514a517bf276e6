extension LineChart {
    /// The chart drawn with braille dots: y tick labels on the left, x ticks below, the
    /// axis labels, and a legend in which each series has a glyph that also marks its last
    /// point. `height` counts plot rows (4 dots each). With `color` off the output has no
    /// escape codes and is stable for golden tests.
    public func terminal(width: Int = 80, height: Int = 12, color: ColorMode = .off) -> String {
        let rowsCount = max(2, height)
        let (xr, yr) = ranges()
        let yTicks = Ticks(lo: yr.0, hi: yr.1, target: max(2, min(6, rowsCount / 3)), widen: yRange == nil)
        let (y0, y1) = (yTicks.lower, yTicks.upper)
        let yLabels = yTicks.labels
        let labelWidth = max(yLabels.map { TerminalText.width($0) }.max() ?? 1, 1)
        let cols = max(8, width - labelWidth - 2)
        var canvas = BrailleCanvas(columns: cols, rows: rowsCount)
        let (x0, x1) = xr
        func dx(_ x: Double) -> Int { clampedInt((x - x0) / (x1 - x0) * Double(canvas.dotWidth - 1)) }
        func dy(_ y: Double) -> Int { clampedInt((y1 - y) / (y1 - y0) * Double(canvas.dotHeight - 1)) }
        func inside(_ p: ChartPoint) -> Bool { p.y >= y0 && p.y <= y1 && p.x >= x0 && p.x <= x1 }

        var endpoints: [(col: Int, row: Int, series: Int)] = []
        for (i, s) in series.enumerated() {
            for seg in s.segments {
                if seg.count == 1, inside(seg[0]) { canvas.set(dx(seg[0].x), dy(seg[0].y), owner: i) }
                for (a, b) in zip(seg, seg.dropFirst()) {
                    // clamp far-off values before converting to Int; the canvas clips dots
                    let ca = ChartPoint(a.x, min(max(a.y, y0 - (y1 - y0)), y1 + (y1 - y0)))
                    let cb = ChartPoint(b.x, min(max(b.y, y0 - (y1 - y0)), y1 + (y1 - y0)))
                    canvas.line(dx(ca.x), dy(ca.y), dx(cb.x), dy(cb.y), owner: i)
                }
            }
            if let last = s.points.last(where: { $0.isFinite && inside($0) }) {
                endpoints.append((dx(last.x) / 2, dy(last.y) / 4, i))
            }
        }

        var lines: [String] = []
        let totalWidth = labelWidth + 2 + cols
        if let title, !title.isEmpty {
            lines.append(ANSI.paint(TerminalText.center(TerminalText.truncate(title, to: totalWidth), in: totalWidth)
                .trailingSpacesTrimmed(), bold: true, color))
        }
        if let yLabel, !yLabel.isEmpty { lines.append(TerminalText.truncate(yLabel, to: totalWidth)) }

        // y tick label per row (nearest row to each tick)
        var rowLabel: [Int: String] = [:]
        for (v, label) in zip(yTicks.values, yLabels) {
            let r = min(rowsCount - 1, max(0, dy(v) / 4))
            if rowLabel[r] == nil { rowLabel[r] = label }
        }
        let glyphAt = Dictionary(endpoints.map { (($0.row * cols + $0.col), $0.series) }, uniquingKeysWith: { _, b in b })
        for r in 0..<rowsCount {
            var line = TerminalText.pad(rowLabel[r] ?? "", to: labelWidth, right: true) + (rowLabel[r] == nil ? " │" : " ┤")
            var run = "", runOwner = -2
            func flush() {
                guard !run.isEmpty else { return }
                line += runOwner >= 0 ? ANSI.paint(run, fg: Palette.color(runOwner), color) : run
                run = ""
            }
            for c in 0..<cols {
                let owner = canvas.owner(c, r)
                let ch: String
                let who: Int
                if let s = glyphAt[r * cols + c] { ch = SeriesGlyph.glyph(s); who = s } else { ch = String(canvas.character(c, r)); who = owner }
                if who != runOwner { flush(); runOwner = who }
                run += ch
            }
            flush()
            lines.append(line)
        }

        // x axis: corner, rule with tick marks, labels
        let xTicks = Ticks(lo: x0, hi: x1, target: max(2, min(10, cols / 8)), widen: false)
        var tickCols: [(Int, String)] = []
        let useIntegers = integerX && xTicks.step < 1
        let ticks = useIntegers ? Ticks(lo: x0, hi: x1, target: max(1, Int(x1 - x0)), widen: false) : xTicks
        for (v, label) in zip(ticks.values, ticks.labels) where v >= x0 - 1e-9 && v <= x1 + 1e-9 {
            tickCols.append((min(cols - 1, max(0, dx(v) / 2)), label))
        }
        var rule = Array(repeating: Character("─"), count: cols)
        for (c, _) in tickCols { rule[c] = "┬" }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(rule))
        var labelLine = Array(repeating: Character(" "), count: cols)
        var nextFree = 0
        for (c, label) in tickCols {
            let chars = Array(label)
            let start = max(0, min(c - chars.count / 2, cols - chars.count))
            if start < nextFree || start + chars.count > labelLine.count { continue }
            for (k, ch) in chars.enumerated() { labelLine[start + k] = ch }
            nextFree = start + chars.count + 1
        }
        lines.append((String(repeating: " ", count: labelWidth + 2) + String(labelLine)).trailingSpacesTrimmed())
        if let xLabel, !xLabel.isEmpty {
            lines.append((String(repeating: " ", count: labelWidth + 2) + TerminalText.center(TerminalText.truncate(xLabel, to: cols), in: cols))
                .trailingSpacesTrimmed())
        }
        if finitePoints.isEmpty { lines.append(String(repeating: " ", count: labelWidth + 2) + "(no data)") }
        if legend, !series.isEmpty {
            let entries = series.enumerated().map { i, s in
                ANSI.paint(SeriesGlyph.glyph(i), fg: Palette.color(i), color) + " " + TerminalText.truncate(s.name, to: 30)
            }
            lines.append(contentsOf: TerminalLayout.flow(entries, width: totalWidth, indent: labelWidth + 2))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

enum TerminalLayout {
    /// Entries separated by two spaces, wrapped to `width` columns (escape codes don't count).
    static func flow(_ entries: [String], width: Int, indent: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        let pad = String(repeating: " ", count: indent)
        for e in entries {
            let w = TerminalText.width(TerminalText.stripANSI(e))
            if currentWidth > 0, indent + currentWidth + 2 + w > width {
                lines.append(pad + current)
                current = ""; currentWidth = 0
            }
            if currentWidth > 0 { current += "  "; currentWidth += 2 }
            current += e; currentWidth += w
        }
        if currentWidth > 0 { lines.append(pad + current) }
        return lines
    }
}

/// Rounds to Int, clamping far-off and non-finite values (no trap on 1e300 or NaN).
func clampedInt(_ v: Double) -> Int {
    guard !v.isNaN else { return 0 }
    return Int(min(1e9, max(-1e9, v)).rounded())
}

extension String {
    func trailingSpacesTrimmed() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
