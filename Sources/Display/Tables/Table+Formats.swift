import JSONText
extension Table {
    /// An HTML `<table>` (inline styles for alignment, so it also works outside reports);
    /// best values are `<strong class="best">`.
    public func html() -> String {
        var out = "<table class=\"taalm-table\" style=\"border-collapse:collapse\">\n"
        if let title, !title.isEmpty { out += "<caption>\(Markup.escape(title))</caption>\n" }
        let numeric = columns.indices.map { isNumeric($0) }
        let best = columns.indices.map { bestRows($0) }
        let cellStyle = "padding:0.25em 0.7em;border-bottom:1px solid #e3e3e3"
        out += "<thead><tr>"
        for (c, col) in columns.enumerated() {
            out += "<th style=\"\(cellStyle);border-bottom:2px solid #999;text-align:\(numeric[c] ? "right" : "left")\">\(Markup.escape(col.name))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for r in rows.indices {
            out += "<tr>"
            for c in columns.indices {
                let t = Markup.escape(text(r, c))
                let content = best[c].contains(r) ? "<strong class=\"best\">\(t)</strong>" : t
                let exact = cell(r, c).numeric.map { " title=\"\(NumberText.shortest($0))\"" } ?? ""
                out += "<td style=\"\(cellStyle);text-align:\(numeric[c] ? "right" : "left")\(numeric[c] ? ";font-variant-numeric:tabular-nums" : "")\"\(exact)>\(content)</td>"
            }
            out += "</tr>\n"
        }
        if rows.isEmpty, !columns.isEmpty {
            out += "<tr><td colspan=\"\(columns.count)\" style=\"\(cellStyle);color:#888\">(no rows)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if let note, !note.isEmpty { out += "<p class=\"table-note\" style=\"font-size:0.85em;color:#666\">\(Markup.escape(note))</p>\n" }
        return out
    }

    /// A GitHub-flavoured Markdown pipe table (best values in bold).
    public func markdown() -> String {
        guard !columns.isEmpty else { return "*(empty table)*\n" }
        func esc(_ s: String) -> String { s.replacing("\\", with: "\\\\").replacing("|", with: "\\|").replacing("\n", with: " ") }
        let numeric = columns.indices.map { isNumeric($0) }
        let best = columns.indices.map { bestRows($0) }
        var out = title.map { "**\(esc($0))**\n\n" } ?? ""
        out += "| " + columns.map { esc($0.name) }.joined(separator: " | ") + " |\n"
        out += "|" + numeric.map { $0 ? "---:" : ":---" }.joined(separator: "|") + "|\n"
        for r in rows.indices {
            out += "| " + columns.indices.map { c in
                let t = esc(text(r, c))
                return best[c].contains(r) && !t.isEmpty ? "**\(t)**" : t
            }.joined(separator: " | ") + " |\n"
        }
        if let note, !note.isEmpty { out += "\n*\(esc(note))*\n" }
        return out
    }

    /// RFC 4180 CSV: a header line, then one line per row. Fields holding a comma, quote,
    /// CR/LF or outer spaces are quoted with quotes doubled; numbers are written in full
    /// precision (shortest round-trip form), NaN as `nan`, empty cells as nothing.
    public func csv(lineEnding: String = "\r\n") -> String {
        func field(_ s: String) -> String {
            let needs = s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                || s.first == " " || s.last == " "
            return needs ? "\"" + s.replacing("\"", with: "\"\"") + "\"" : s
        }
        var lines = [columns.map { field($0.name) }.joined(separator: ",")]
        for r in rows.indices {
            lines.append(columns.indices.map { c -> String in
                switch cell(r, c) {
                case .text(let s): return field(s)
                case .number(let d): return NumberText.shortest(d)
                case .integer(let i): return String(i)
                case .empty: return ""
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: lineEnding) + lineEnding
    }

    public enum JSONLayout: Sendable { case records, columns }

    /// JSON: `.records` is an array of objects keyed by column name (pandas
    /// `orient="records"`); `.columns` is `{"columns": [...], "rows": [[...]]}` (keeps
    /// duplicate names and order). Non-finite numbers and empty cells are `null`.
    public func json(_ layout: JSONLayout = .records) -> String {
        func value(_ r: Int, _ c: Int) -> String {
            switch cell(r, c) {
            case .text(let s): return JSONWriter.string(s)
            case .number(let d): return d.isFinite ? NumberText.shortest(d) : "null"
            case .integer(let i): return String(i)
            case .empty: return "null"
            }
        }
        switch layout {
        case .records:
            let items = rows.indices.map { r in
                "{" + columns.indices.map { c in JSONWriter.string(columns[c].name) + ": " + value(r, c) }.joined(separator: ", ") + "}"
            }
            return items.isEmpty ? "[]\n" : "[\n  " + items.joined(separator: ",\n  ") + "\n]\n"
        case .columns:
            let cols = "[" + columns.map { JSONWriter.string($0.name) }.joined(separator: ", ") + "]"
            let rowsText = rows.indices.map { r in "[" + columns.indices.map { value(r, $0) }.joined(separator: ", ") + "]" }
            return "{\"columns\": \(cols), \"rows\": [" + (rowsText.isEmpty ? "" : "\n  " + rowsText.joined(separator: ",\n  ") + "\n") + "]}\n"
        }
    }
}

