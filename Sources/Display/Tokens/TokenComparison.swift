/// Several weightings of one document (e.g. current TA weights, meta-gradient, oracle),
/// shown token-aligned so a reader can compare them token by token.
public struct TokenComparison: Sendable, Hashable {
    public var title: String?
    public var rows: [TokenWeights]

    public var tokens: [String] { rows.first?.tokens ?? [] }

    /// Each weighting gets its own colour mapping (fitted when `nil`): signed rows diverge.
    public init(title: String? = nil, tokens: [String], weightings: [(label: String, values: [Double], mapping: ColorMapping?)],
                joiner: String = " ") {
        self.title = title
        rows = weightings.map { TokenWeights(tokens: tokens, values: $0.values, label: $0.label, mapping: $0.mapping, joiner: joiner) }
    }

    public init(title: String? = nil, rows: [TokenWeights]) { self.title = title; self.rows = rows }

    /// A token's text for a grid column: outer whitespace trimmed, newline shown as `↵`.
    func columnText(_ i: Int) -> String {
        let t = tokens[i].replacing("\n", with: "↵").trimmingWhitespace()
        return t.isEmpty ? "␣" : t
    }

    /// Token-aligned grid: a line of tokens, then one line of values per weighting, in
    /// blocks that fit `width` columns. With colour on, each value sits on its colour.
    public func terminal(width: Int = 80, color: ColorMode = .off, decimals: Int = 2) -> String {
        var lines: [String] = []
        if let title, !title.isEmpty { lines.append(ANSI.paint(title, bold: true, color)) }
        guard !rows.isEmpty, !tokens.isEmpty else { return (lines + ["(no tokens)"]).joined(separator: "\n") + "\n" }
        let labelWidth = min(18, rows.map { TerminalText.width($0.label ?? "") }.max() ?? 0)
        let texts = rows.map { r in r.values.map { NumberText.fixed($0, decimals) } }
        let colWidths = tokens.indices.map { i in
            min(16, max(TerminalText.width(columnText(i)), texts.map { TerminalText.width($0[i]) }.max() ?? 1))
        }
        var start = 0
        while start < tokens.count {
            var end = start, used = labelWidth
            while end < tokens.count, end == start || used + 2 + colWidths[end] <= width {
                used += 2 + colWidths[end]; end += 1
            }
            if start > 0 { lines.append("") }
            var header = TerminalText.pad("", to: labelWidth)
            for i in start..<end { header += "  " + TerminalText.pad(TerminalText.truncate(columnText(i), to: colWidths[i]), to: colWidths[i], right: true) }
            lines.append(header.trailingSpacesTrimmed())
            for (r, row) in rows.enumerated() {
                var line = TerminalText.pad(TerminalText.truncate(row.label ?? "", to: labelWidth), to: labelWidth)
                for i in start..<end {
                    let cell = TerminalText.pad(texts[r][i], to: colWidths[i], right: true)
                    let v = row.values[i]
                    line += "  " + (color.enabled && !v.isNaN ? ANSI.paint(cell, fg: row.mapping.color(v).textColor, bg: row.mapping.color(v), color) : cell)
                }
                lines.append(color.enabled ? line : line.trailingSpacesTrimmed())
            }
            start = end
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public enum HTMLLayout: Sendable { case grid, stacked }

    /// `.grid`: a scrollable table, tokens as columns and one coloured row per weighting
    /// (hover for exact values). `.stacked`: each weighting as its own token paragraph.
    public func html(layout: HTMLLayout = .grid, decimals: Int = 2) -> String {
        var out = "<figure class=\"taalm-token-comparison\" style=\"margin:0.6em 0\">\n"
        if let title, !title.isEmpty {
            out += "<figcaption style=\"font-weight:600;margin-bottom:0.3em\">\(Markup.escape(title))</figcaption>\n"
        }
        switch layout {
        case .stacked:
            for row in rows { out += row.html(decimals: decimals) }
        case .grid:
            out += "<div style=\"overflow-x:auto\"><table style=\"border-collapse:collapse;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:0.85em\">\n<tr><th style=\"position:sticky;left:0;background:#fff\"></th>"
            for i in tokens.indices {
                out += "<th style=\"padding:0.2em 0.35em;font-weight:600;white-space:pre\">\(Markup.escape(columnText(i)))</th>"
            }
            out += "</tr>\n"
            for row in rows {
                out += "<tr><th style=\"position:sticky;left:0;background:#fff;text-align:left;padding-right:0.6em;white-space:nowrap\">\(Markup.escape(row.label ?? ""))</th>"
                for i in tokens.indices {
                    let v = row.values[i]
                    let style = v.isNaN ? "padding:0.2em 0.35em;text-align:right;color:#999"
                        : "padding:0.2em 0.35em;text-align:right;background:\(row.mapping.color(v).hex);color:\(row.mapping.color(v).textColor.hex)"
                    let tip = "\(columnText(i)) · \(row.label ?? "") · \(row.exactValues[i])"
                    out += "<td" + Markup.attributes([("style", style), ("title", tip), ("data-value", row.exactValues[i])]) + ">"
                        + Markup.escape(NumberText.fixed(v, decimals)) + "</td>"
                }
                out += "</tr>\n"
            }
            out += "</table></div>\n"
            out += "<div>" + rows.map { TokenWeights.htmlLegend($0.mapping, label: $0.label, hint: false) }.joined() + "</div>\n"
        }
        return out + "</figure>\n"
    }
}

