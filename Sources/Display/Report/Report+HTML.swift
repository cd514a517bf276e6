extension Report {
    /// One self-contained HTML page: inline CSS, inline SVG, no scripts, no external assets.
    public func html() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="taalm">
        <title>\(Markup.escape(TerminalText.forReport(title)))</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body>
        <main>
        <header class="report"><h1>\(Markup.escape(TerminalText.forReport(title)))</h1>
        """
        if let subtitle, !subtitle.isEmpty { out += "<p>\(Markup.escape(TerminalText.forReport(subtitle)))</p>" }
        out += "</header>\n"
        var codeNumber = 0
        for cell in cells {
            switch cell.kind {
            case .markdown(let text):
                out += "<section class=\"cell prose\"\(lineAttribute(cell))>\n" + Markdown.html(TerminalText.forReport(text)) + "</section>\n"
            case .code(let source, let outputs):
                codeNumber += 1
                out += "<section class=\"cell code\"\(lineAttribute(cell))>\n<div class=\"cell-head\"><span class=\"n\">[\(codeNumber)]</span>"
                if let t = cell.title, !t.isEmpty { out += "<span class=\"t\">\(Markup.escape(TerminalText.forReport(t)))</span>" }
                if let line = cell.line { out += "<span class=\"l\">line \(line)</span>" }
                out += "</div>\n"
                out += "<pre class=\"source\"><code>" + Highlighter.html(TerminalText.forReport(source).trailingNewlinesTrimmed()) + "</code></pre>\n"
                for output in outputs { out += Report.html(output) }
                out += "</section>\n"
            }
        }
        out += "<footer>Written by taalm.</footer>\n</main>\n</body>\n</html>\n"
        return out
    }

    private func lineAttribute(_ cell: ReportCell) -> String {
        cell.line.map { " data-line=\"\($0)\"" } ?? ""
    }

    static func html(_ output: ReportOutput) -> String {
        switch output {
        case .stdout(let s):
            let t = TerminalText.forReport(s).trailingNewlinesTrimmed()
            return t.isEmpty ? "" : "<div class=\"out stdout\"><pre>" + Markup.escape(t) + "</pre></div>\n"
        case .text(let s):
            return "<div class=\"out value\"><pre>" + Markup.escape(TerminalText.forReport(s).trailingNewlinesTrimmed()) + "</pre></div>\n"
        case .error(let s):
            return "<div class=\"out error\"><pre>" + Markup.escape(TerminalText.forReport(s).trailingNewlinesTrimmed()) + "</pre></div>\n"
        case .svg(let svg, let caption):
            var f = "<div class=\"out figure\"><figure>\n" + inlineSVG(svg)
            if let caption, !caption.isEmpty { f += "<figcaption>\(Markup.escape(caption))</figcaption>\n" }
            return f + "</figure></div>\n"
        case .html(let fragment):
            return "<div class=\"out html\">\n" + fragment + "</div>\n"
        case .table(let table):
            return "<div class=\"out table\">\n" + table.html() + "</div>\n"
        }
    }

    /// An SVG document made fit to inline: any XML declaration or doctype is dropped.
    static func inlineSVG(_ svg: String) -> String {
        var s = Substring(svg)
        while let start = s.firstRange(of: "<?") ?? s.firstRange(of: "<!DOCTYPE"), s[..<start.lowerBound].allSatisfy(\.isWhitespace),
              let end = s[start.upperBound...].firstIndex(of: ">") {
            s = s[s.index(after: end)...]
        }
        let t = String(s).trimmingWhitespace()
        return t + "\n"
    }
}

extension String {
    func trailingNewlinesTrimmed() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
