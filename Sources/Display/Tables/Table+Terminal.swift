extension Table {
    /// Aligned columns (numbers right, text left) under a header rule. Best values are bold
    /// with colour on and followed by `*` with colour off. Cells longer than
    /// `maxCellWidth` columns are cut with `…`; single-line cells only (newlines become `↵`).
    public func terminal(color: ColorMode = .off, maxCellWidth: Int = 40) -> String {
        var lines: [String] = []
        if let title, !title.isEmpty { lines.append(ANSI.paint(title, bold: true, color)) }
        guard !columns.isEmpty else { return (lines + ["(empty table)"]).joined(separator: "\n") + "\n" }
        let best = columns.indices.map { bestRows($0) }
        let mark = columns.indices.map { columns[$0].best != nil && !color.enabled && !best[$0].isEmpty }
        func clean(_ s: String) -> String { TerminalText.truncate(s.replacing("\n", with: "↵"), to: max(1, maxCellWidth)) }
        let headers = columns.map { clean($0.name) }
        let body = rows.indices.map { r in columns.indices.map { c in clean(text(r, c)) + (mark[c] ? (best[c].contains(r) ? "*" : " ") : "") } }
        let numeric = columns.indices.map { isNumeric($0) }
        let widths = columns.indices.map { c in max(TerminalText.width(headers[c]), body.map { TerminalText.width($0[c]) }.max() ?? 0) }
        func row(_ cells: [String], bold: (Int) -> Bool) -> String {
            cells.enumerated().map { c, s in
                let padded = TerminalText.pad(s, to: widths[c], right: numeric[c])
                return bold(c) ? ANSI.paint(padded, bold: true, color) : padded
            }.joined(separator: "  ").trailingSpacesTrimmed()
        }
        let headerCells = headers.enumerated().map { c, h in mark[c] && numeric[c] ? h + " " : h }
        lines.append(row(headerCells, bold: { _ in false }))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for (r, cells) in body.enumerated() {
            lines.append(row(cells, bold: { c in color.enabled && best[c].contains(r) }))
        }
        if rows.isEmpty { lines.append("(no rows)") }
        var notes: [String] = []
        if mark.contains(true) { notes.append("* best in column") }
        if let note, !note.isEmpty { notes.append(note) }
        if !notes.isEmpty { lines.append(notes.joined(separator: "; ")) }
        return lines.joined(separator: "\n") + "\n"
    }
}
