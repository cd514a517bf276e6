extension Heatmap {
    /// Cells as coloured blocks (colour on) or shade characters `░▒▓█` (colour off),
    /// numbers inside when they fit, row labels left, column labels on top, and a legend.
    /// For a diverging scale with colour off, negative cells show `-` before the shade.
    public func terminal(width: Int = 80, color: ColorMode = .off) -> String {
        let map = resolvedMapping
        var lines: [String] = []
        let rowLabelWidth = min(20, (0..<rows).map { TerminalText.width(rowLabel($0)) }.max() ?? 0)
        let numbers = showValues ?? (rows * columns <= 150)
        let texts = (0..<rows).map { r in (0..<columns).map { c in NumberText.compact(value(r, c), significant: 2) } }
        let widestNumber = texts.flatMap { $0 }.map { TerminalText.width($0) }.max() ?? 1
        let widestColumnLabel = (0..<columns).map { TerminalText.width(columnLabel($0)) }.max() ?? 1
        let available = max(2, (width - rowLabelWidth - 1) / max(1, columns) - 1)
        let cellWidth = min(available, max(2, min(8, max(numbers ? widestNumber : 2, min(widestColumnLabel, 6)))))
        let showNumbers = numbers && widestNumber <= cellWidth
        let total = rowLabelWidth + 1 + columns * (cellWidth + 1)
        if let title, !title.isEmpty {
            lines.append(ANSI.paint(TerminalText.center(TerminalText.truncate(title, to: total), in: total).trailingSpacesTrimmed(),
                                    bold: true, color))
        }
        guard rows > 0, columns > 0 else { return (lines + ["(no data)"]).joined(separator: "\n") + "\n" }
        var header = String(repeating: " ", count: rowLabelWidth + 1)
        for c in 0..<columns {
            header += TerminalText.center(TerminalText.truncate(columnLabel(c), to: cellWidth), in: cellWidth) + " "
        }
        lines.append(header.trailingSpacesTrimmed())
        for r in 0..<rows {
            var line = TerminalText.pad(TerminalText.truncate(rowLabel(r), to: rowLabelWidth), to: rowLabelWidth) + " "
            for c in 0..<columns {
                let v = value(r, c)
                line += cellText(v, text: texts[r][c], width: cellWidth, numbers: showNumbers, map: map, color: color) + " "
            }
            lines.append(line.trailingSpacesTrimmed())
        }
        if color.enabled || !showNumbers { lines.append(Heatmap.legendLine(map, color: color, indent: rowLabelWidth + 1)) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func cellText(_ v: Double, text: String, width: Int, numbers: Bool, map: ColorMapping, color: ColorMode) -> String {
        if v.isNaN { return String(repeating: " ", count: width) }
        if color.enabled {
            let bg = map.color(v)
            let content = numbers ? TerminalText.pad(text, to: width, right: true) : String(repeating: " ", count: width)
            return ANSI.paint(content, fg: bg.textColor, bg: bg, color)
        }
        if numbers { return TerminalText.pad(text, to: width, right: true) }
        let shade = Heatmap.shade(map, v)
        if map.scale == .diverging && v < 0 { return "-" + String(repeating: shade, count: width - 1) }
        return String(repeating: shade, count: width)
    }

    /// Shade character for a value: `·` for the palest fifth, then `░▒▓█`.
    static func shade(_ map: ColorMapping, _ v: Double) -> Character {
        let shades: [Character] = ["·", "░", "▒", "▓", "█"]
        let p = abs(map.position(v))
        guard p.isFinite else { return " " }
        return shades[min(4, Int(p * 5))]
    }

    /// `low ░▒▓█ high` with colour off, a colour ramp with colour on.
    static func legendLine(_ map: ColorMapping, color: ColorMode, indent: Int) -> String {
        let lo = NumberText.compact(map.lower, significant: 3), hi = NumberText.compact(map.upper, significant: 3)
        var ramp = ""
        if color.enabled {
            for k in 0..<16 {
                let v = map.lower + (map.upper - map.lower) * Double(k) / 15
                ramp += ANSI.paint(" ", bg: map.color(v), color)
            }
        } else if map.scale == .diverging {
            ramp = "█▓▒░ · ░▒▓█"
        } else {
            ramp = "·░▒▓█"
        }
        let mid = map.scale == .diverging && !color.enabled ? " (negative cells start with -)" : ""
        return String(repeating: " ", count: indent) + "\(lo) \(ramp) \(hi)\(mid)"
    }
}
