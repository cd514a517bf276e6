/// A Markdown report and the files to write beside it.
public struct MarkdownExport: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        /// Path relative to the Markdown file (e.g. `report_files/figure-1.svg`).
        public var name: String
        public var contents: String
    }
    public var markdown: String
    public var files: [File]
}

extension Report {
    /// Markdown with fenced ```` ```taalm ```` source, fenced output blocks, pipe tables,
    /// raw HTML for token views, and each SVG figure as a separate file
    /// `<assetFolder>/figure-N.svg` linked as an image. The caller writes the files.
    public func markdown(assetFolder: String = "report_files") -> MarkdownExport {
        var md = "# " + oneLine(title) + "\n\n"
        if let subtitle, !subtitle.isEmpty { md += "*" + oneLine(subtitle) + "*\n\n" }
        var files: [MarkdownExport.File] = []
        let folder = assetFolder.isEmpty ? "" : (assetFolder.hasSuffix("/") ? assetFolder : assetFolder + "/")
        for cell in cells {
            switch cell.kind {
            case .markdown(let text):
                md += TerminalText.forReport(text).trailingNewlinesTrimmed() + "\n\n"
            case .code(let source, let outputs):
                var head: [String] = []
                if let t = cell.title, !t.isEmpty { head.append("**" + oneLine(t) + "**") }
                if let line = cell.line { head.append("(line \(line))") }
                if !head.isEmpty { md += head.joined(separator: " ") + "\n\n" }
                md += Report.fenced(TerminalText.forReport(source), info: "taalm")
                for output in outputs {
                    switch output {
                    case .stdout(let s):
                        let t = TerminalText.forReport(s).trailingNewlinesTrimmed()
                        if !t.isEmpty { md += Report.fenced(t, info: "text") }
                    case .text(let s):
                        md += Report.fenced(TerminalText.forReport(s), info: "text")
                    case .error(let s):
                        md += "**Error:**\n\n" + Report.fenced(TerminalText.forReport(s), info: "text")
                    case .svg(let svg, let caption):
                        let name = folder + "figure-\(files.count + 1).svg"
                        files.append(.init(name: name, contents: svg))
                        let alt = caption.map(oneLine) ?? "figure \(files.count)"
                        md += "![\(alt.replacing("]", with: "\\]"))](\(name.replacing(" ", with: "%20")))\n\n"
                        if let caption, !caption.isEmpty { md += "*" + oneLine(caption) + "*\n\n" }
                    case .html(let fragment):
                        md += fragment.trailingNewlinesTrimmed() + "\n\n"
                    case .table(let table):
                        md += table.markdown() + "\n"
                    }
                }
            }
        }
        return MarkdownExport(markdown: md.trailingNewlinesTrimmed() + "\n", files: files)
    }

    private func oneLine(_ s: String) -> String { TerminalText.forReport(s).replacing("\n", with: " ") }

    /// A fenced block whose fence is longer than any backtick run inside the text.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0, run = 0
        for ch in text { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + text.trailingNewlinesTrimmed() + "\n" + fence + "\n\n"
    }
}
