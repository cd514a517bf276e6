/// A notebook run as data: cells in order, each prose or code with what it produced.
public struct Report: Sendable, Hashable {
    public var title: String
    /// Shown under the title (e.g. the source file and when it ran); optional.
    public var subtitle: String?
    public var cells: [ReportCell]

    public init(title: String, subtitle: String? = nil, cells: [ReportCell] = []) {
        self.title = title; self.subtitle = subtitle; self.cells = cells
    }
}

public struct ReportCell: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Prose in the Markdown subset of `Markdown.html`.
        case markdown(String)
        /// taalm source and what running it produced, in order.
        case code(String, outputs: [ReportOutput])
    }

    public var kind: Kind
    /// The cell's title (text after `# %%`), if any.
    public var title: String?
    /// 1-based line of the cell's first line in the source file, if known.
    public var line: Int?

    public init(_ kind: Kind, title: String? = nil, line: Int? = nil) {
        self.kind = kind; self.title = title; self.line = line
    }

    public static func markdown(_ text: String, title: String? = nil, line: Int? = nil) -> ReportCell {
        ReportCell(.markdown(text), title: title, line: line)
    }

    public static func code(_ source: String, outputs: [ReportOutput] = [], title: String? = nil, line: Int? = nil) -> ReportCell {
        ReportCell(.code(source, outputs: outputs), title: title, line: line)
    }
}

/// One thing a code cell produced. Text outputs are cleaned of ANSI escape codes and
/// carriage-return redraws when written into a report.
public enum ReportOutput: Sendable, Hashable {
    /// What the cell printed.
    case stdout(String)
    /// The value of the cell's last expression, or any plain-text display.
    case text(String)
    /// An SVG figure (a complete `<svg>` document, e.g. from `LineChart.svg()`), with an
    /// optional caption.
    case svg(String, caption: String? = nil)
    /// An HTML fragment (token heatmaps, cards). Inserted as-is: it must come from this
    /// library or be escaped by the caller.
    case html(String)
    /// A table (HTML in the HTML report, a pipe table in Markdown).
    case table(Table)
    /// An error that stopped the cell.
    case error(String)
}
