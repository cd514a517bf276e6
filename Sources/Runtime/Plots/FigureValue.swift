import Display
import Language

/// A chart as a taalm value (`figure`): drawn with braille in the terminal, SVG on disk
/// (`fig.save("loss.svg")` or `file:`), an inline SVG figure in a notebook report.
final class FigureValue: NativeObject, RichDisplay {
    enum Chart {
        case line(LineChart)
        case bar(BarChart)
        case heatmap(Heatmap)
        /// Line charts side by side (result values' curves).
        case panels(ChartPanels)
    }

    let chart: Chart
    init(_ chart: Chart) { self.chart = chart }

    var typeName: String { "figure" }
    var doc: String {
        "A chart made by plot, bar or heatmap. Shown in the terminal with braille, inline in notebook reports.\n"
            + "Members: " + Self.memberList.joined(separator: ", ")
    }
    static let memberList = ["kind", "title", "save", "svg", "text"]
    var memberNames: [String] { Self.memberList }

    var kind: String {
        switch chart {
        case .line: "line"
        case .bar: "bar"
        case .heatmap: "heatmap"
        case .panels: "panels"
        }
    }

    var title: String? {
        switch chart {
        case .line(let c): c.title
        case .bar(let c): c.title
        case .heatmap(let c): c.title
        case .panels(let p): p.title ?? p.panels.compactMap(\.title).joined(separator: " · ")
        }
    }

    var shortSummary: String {
        switch chart {
        case .line(let c):
            let n = c.series.reduce(0) { $0 + $1.points.count }
            return "line chart, \(plural(c.series.count, "series", "series")), \(plural(n, "point", "points"))"
        case .bar(let c):
            return "bar chart, \(plural(c.categories.count, "category", "categories")) × \(plural(c.series.count, "series", "series"))"
        case .heatmap(let h):
            return "heatmap \(h.values.count)×\(h.values.map(\.count).max() ?? 0)"
        case .panels(let p):
            let n = p.panels.map(\.series.count).max() ?? 0
            return "\(plural(p.panels.count, "panel", "panels")) of line charts, \(plural(n, "series", "series")) each"
        }
    }

    func terminal(width: Int, color: ColorMode) -> String {
        let text: String
        switch chart {
        case .line(let c): text = c.terminal(width: width, height: 12, color: color)
        case .bar(let c): text = c.terminal(width: width, color: color)
        case .heatmap(let h): text = h.terminal(width: width, color: color)
        case .panels(let p): text = p.terminal(width: width, height: 10, color: color)
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    func svg() -> String {
        switch chart {
        case .line(let c): c.svg()
        case .bar(let c): c.svg()
        case .heatmap(let h): h.svg()
        case .panels(let p): p.svg()
        }
    }

    func display(_ ctx: DisplayContext) -> String {
        terminal(width: TerminalStyle.chartWidth(ctx), color: TerminalStyle.mode(ctx))
    }

    func richOutput(_ ctx: DisplayContext) -> ReportOutput { .svg(svg(), caption: nil) }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "kind": return .string(kind)
        case "title": return title.map { .string($0) } ?? .null
        case "save":
            return .native(NativeFunction("save", doc: "Writes the figure as an SVG file: fig.save(\"loss.svg\").",
                                          params: [Param("path")]) { [self] args, _ throws(NativeError) in
                try FigureFile.write(svg(), to: try args.string(0), what: "save")
                return .null
            })
        case "svg":
            return .native(NativeFunction("svg", doc: "The figure as an SVG document (a string).") { [self] _, _ throws(NativeError) in
                .string(svg())
            })
        case "text":
            return .native(NativeFunction("text", doc: "The terminal drawing without colour, `width` columns wide.",
                                          params: [Param("width", default: .number(80))]) { [self] args, _ throws(NativeError) in
                let w = try args.int(0)
                guard (20...400).contains(w) else { throw NativeError("text: width must be between 20 and 400, got \(w)") }
                return .string(terminal(width: w, color: .off))
            })
        default: return nil
        }
    }
}

func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

/// SVG files for figures.
enum FigureFile {
    /// Writes `svg` atomically to `path`, which must end in `.svg`.
    static func write(_ svg: String, to path: String, what: String) throws(NativeError) {
        guard path.lowercased().hasSuffix(".svg") else {
            throw NativeError("\(what): cannot write '\(path)': figures are written as SVG, so the file name must end in .svg",
                              hint: "e.g. file: \"loss.svg\"; a browser opens SVG files")
        }
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(svg, to: path)
        } catch {
            throw NativeError("\(what): cannot write '\(path)': \(error.message)")
        }
    }
}
