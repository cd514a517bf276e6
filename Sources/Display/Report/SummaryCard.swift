/// A small card for a report: a kind and a title, key facts as label–value pairs, and
/// optional notes (e.g. a model, a benchmark, a result's headline numbers).
public struct SummaryCard: Sendable, Hashable {
    /// What the value is ("lm", "ckl_result", ...), shown small above the title.
    public var kind: String
    public var title: String
    public var fields: [Field]
    public var notes: [String]

    public struct Field: Sendable, Hashable {
        public var label: String
        public var value: String
        /// Shown larger: the headline numbers.
        public var emphasis: Bool
        public init(_ label: String, _ value: String, emphasis: Bool = false) {
            self.label = label; self.value = value; self.emphasis = emphasis
        }
    }

    public init(kind: String, title: String, fields: [Field] = [], notes: [String] = []) {
        self.kind = kind; self.title = title; self.fields = fields; self.notes = notes
    }

    /// An HTML fragment (`<div class="taalm-card">`); every text is escaped.
    public func html() -> String {
        var s = "<div class=\"taalm-card\">\n<div class=\"card-kind\">\(Markup.escape(kind))</div>\n"
        s += "<div class=\"card-title\">\(Markup.escape(title))</div>\n"
        if !fields.isEmpty {
            s += "<dl class=\"card-fields\">\n"
            for f in fields {
                s += "<div class=\"card-field\(f.emphasis ? " big" : "")\"><dt>\(Markup.escape(f.label))</dt><dd>\(Markup.escape(f.value))</dd></div>\n"
            }
            s += "</dl>\n"
        }
        for n in notes { s += "<p class=\"card-note\">\(Markup.escape(n))</p>\n" }
        return s + "</div>\n"
    }

    /// Plain text: the title, then `label: value` lines and the notes.
    public func text() -> String {
        var lines = ["\(kind): \(title)"]
        for f in fields { lines.append("  \(f.label): \(f.value)") }
        for n in notes { lines.append("  \(n)") }
        return lines.joined(separator: "\n")
    }
}
