/// One cell of a notebook script in the jupytext "percent" format.
public struct NotebookCell: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case code, markdown, raw }

    public var kind: Kind
    /// Text after `# %%` (before any `[markdown]`), trimmed; nil when absent.
    public var title: String?
    /// Code: the source lines as written. Markdown: the text with the `# ` prefixes removed.
    public var source: String
    /// 1-based line in the file of `source`'s first line. A position on line `k` (1-based)
    /// of `source` is on line `firstLine + k - 1` of the file.
    public var firstLine: Int
    /// 1-based line of the `# %%` marker, nil for text before the first marker.
    public var markerLine: Int?

    public init(kind: Kind, title: String?, source: String, firstLine: Int, markerLine: Int?) {
        self.kind = kind; self.title = title; self.source = source; self.firstLine = firstLine; self.markerLine = markerLine
    }
}

/// Splits `.taalm` scripts into cells.
public enum NotebookCells {
    /// Whether `text` uses cell markers at all.
    public static func hasMarkers(_ text: String) -> Bool {
        lines(text).contains { marker($0) != nil }
    }

    /// Cells in order. `# %%` or `#%%` at the start of a line begins a cell; the rest of
    /// the line is an optional title and an optional `[markdown]`/`[md]`/`[raw]` type.
    /// Text before the first marker is a code cell when it is not blank; a file without
    /// markers is one code cell. Leading and trailing blank lines are trimmed from each
    /// cell (`firstLine` follows the trimming); blank cells are kept, with empty source.
    public static func split(_ text: String) -> [NotebookCell] {
        let all = lines(text)
        var cells: [NotebookCell] = []
        var kind: NotebookCell.Kind = .code
        var title: String? = nil
        var markerLine: Int? = nil
        var body: [String] = []
        var bodyStart = 1
        func finish() {
            var start = 0, end = body.count
            while start < end, body[start].trimmingWhitespace().isEmpty { start += 1 }
            while end > start, body[end - 1].trimmingWhitespace().isEmpty { end -= 1 }
            let kept = Array(body[start..<end])
            if markerLine == nil && kept.isEmpty { return } // nothing before the first marker
            let source = kind == .markdown ? kept.map(unprefix).joined(separator: "\n") : kept.joined(separator: "\n")
            cells.append(NotebookCell(kind: kind, title: title, source: source,
                                      firstLine: kept.isEmpty ? (markerLine ?? 0) + 1 : bodyStart + start, markerLine: markerLine))
        }
        for (index, line) in all.enumerated() {
            if let m = marker(line) {
                finish()
                kind = m.kind; title = m.title; markerLine = index + 1
                body = []; bodyStart = index + 2
            } else {
                body.append(line)
            }
        }
        finish()
        if cells.isEmpty { cells.append(NotebookCell(kind: .code, title: nil, source: "", firstLine: 1, markerLine: nil)) }
        return cells
    }

    static func lines(_ text: String) -> [String] {
        var t = text.replacing("\r\n", with: "\n")
        if t.hasSuffix("\n") { t.removeLast() }
        return t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Parses a marker line: `# %%`, `# %% Title`, `# %% [markdown]`, `# %% Title [md] key="v"`.
    static func marker(_ line: String) -> (kind: NotebookCell.Kind, title: String?)? {
        var rest: Substring
        if line.hasPrefix("# %%") { rest = line.dropFirst(4) } else if line.hasPrefix("#%%") { rest = line.dropFirst(3) } else { return nil }
        if let f = rest.first, f != " " && f != "\t" { return nil } // `# %%%` or `# %%foo` is a comment
        var kind: NotebookCell.Kind = .code
        var titleText = rest
        if let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            let type = String(rest[rest.index(after: open)..<close]).trimmingWhitespace().lowercased()
            switch type {
            case "markdown", "md": kind = .markdown
            case "raw": kind = .raw
            default: break
            }
            if type == "markdown" || type == "md" || type == "raw" { titleText = rest[..<open] }
        }
        let title = String(titleText).trimmingWhitespace()
        return (kind, title.isEmpty ? nil : title)
    }

    /// A Markdown line with its comment prefix removed: `# text` → `text`, `#` → ``.
    static func unprefix(_ line: String) -> String {
        if line.hasPrefix("# ") { return String(line.dropFirst(2)) }
        if line == "#" || line.trimmingWhitespace() == "#" { return "" }
        return line
    }
}
