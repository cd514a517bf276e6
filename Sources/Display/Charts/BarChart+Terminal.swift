extension BarChart {
    /// Horizontal bars drawn with eighth-block characters, one line per (category, series),
    /// the value after each bar. Negative values grow left of a zero column (whole blocks).
    public func terminal(width: Int = 80, color: ColorMode = .off) -> String {
        var lines: [String] = []
        if let title, !title.isEmpty {
            lines.append(ANSI.paint(TerminalText.center(TerminalText.truncate(title, to: width), in: width).trailingSpacesTrimmed(),
                                    bold: true, color))
        }
        guard !categories.isEmpty, !series.isEmpty else { return (lines + ["(no data)"]).joined(separator: "\n") + "\n" }
        let catWidth = min(24, max(3, width / 4), categories.map { TerminalText.width($0) }.max() ?? 0)
        let named = series.count > 1
        let serWidth = named ? min(16, max(3, width / 5), series.map { TerminalText.width($0.name) }.max() ?? 0) : 0
        let valueTexts = categories.indices.map { c in series.indices.map { s in NumberText.compact(value(s, c), significant: 4) } }
        let valueWidth = valueTexts.flatMap { $0 }.map { TerminalText.width($0) }.max() ?? 1
        let (lo, hi) = range()
        let axisWidth = lo < 0 ? 1 : 0
        let barWidth = max(4, width - catWidth - 1 - (named ? serWidth + 1 : 0) - axisWidth - 1 - valueWidth)
        // zero column: cells left of it are for negative bars
        let negCells = lo < 0 ? clampedInt(Double(barWidth) * (-lo) / (hi - lo)) : 0
        let posCells = barWidth - negCells
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        if let yLabel, !yLabel.isEmpty {
            lines.append(String(repeating: " ", count: catWidth + 1 + (named ? serWidth + 1 : 0)) + TerminalText.truncate(yLabel, to: barWidth))
        }
        for c in categories.indices {
            for s in series.indices {
                let v = value(s, c)
                var line = (s == 0 ? TerminalText.pad(TerminalText.truncate(categories[c], to: catWidth), to: catWidth)
                                   : String(repeating: " ", count: catWidth)) + " "
                if named { line += TerminalText.pad(TerminalText.truncate(series[s].name, to: serWidth), to: serWidth) + " " }
                var left = String(repeating: " ", count: negCells)
                var right = ""
                if v.isFinite && v < 0 && negCells > 0 {
                    let n = min(negCells, clampedInt(-v / -lo * Double(negCells)))
                    left = String(repeating: " ", count: negCells - n) + ANSI.paint(String(repeating: "█", count: n), fg: Palette.color(s), color)
                } else if v.isFinite && v > 0 && posCells > 0 {
                    let units = min(posCells * 8, clampedInt(v / max(hi, 1e-300) * Double(posCells * 8)))
                    let bar = String(repeating: "█", count: units / 8) + eighths[units % 8]
                    right = ANSI.paint(bar, fg: Palette.color(s), color)
                }
                let axis = lo < 0 ? "│" : ""
                line += left + axis + right + " " + valueTexts[c][s]
                lines.append(line.trailingSpacesTrimmed())
            }
        }
        if let xLabel, !xLabel.isEmpty { lines.append(TerminalText.center(TerminalText.truncate(xLabel, to: width), in: width).trailingSpacesTrimmed()) }
        if legend, named, color.enabled {
            let entries = series.enumerated().map { ANSI.paint("█", fg: Palette.color($0.offset), color) + " " + $0.element.name }
            lines.append(contentsOf: TerminalLayout.flow(entries, width: width, indent: 0))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
