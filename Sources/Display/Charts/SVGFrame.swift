/// Shared SVG scaffolding for charts: document, title, legend row, axes and grid.
struct SVGDocument {
    let width: Double
    let height: Double
    var lines: [String] = []

    static let font = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
    static let ink = "#222222"
    static let muted = "#666666"
    static let grid = "#e6e6e6"

    init(width: Int, height: Int, title: String?, kind: String) {
        self.width = Double(max(120, width))
        self.height = Double(max(80, height))
        let w = NumberText.coord(self.width), h = NumberText.coord(self.height)
        lines.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
            + Markup.attributes([("role", "img"), ("class", "taalm-chart \(kind)"), ("font-family", SVGDocument.font),
                                 ("font-size", "12")]) + ">")
        if let title, !title.isEmpty { lines.append(Markup.element("title", [], content: Markup.escape(title))) }
        lines.append("<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>")
    }

    mutating func add(_ s: String) { lines.append(s) }

    mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil,
                       fill: String = SVGDocument.ink, weight: String? = nil, extra: [(String, String)] = []) {
        var attrs: [(String, String)] = [("x", NumberText.coord(x)), ("y", NumberText.coord(y))]
        if anchor != "start" { attrs.append(("text-anchor", anchor)) }
        if let size { attrs.append(("font-size", NumberText.coord(size))) }
        attrs.append(("fill", fill))
        if let weight { attrs.append(("font-weight", weight)) }
        add(Markup.element("text", attrs + extra, content: Markup.escape(s)))
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) {
        add(Markup.element("line", [("x1", NumberText.coord(x1)), ("y1", NumberText.coord(y1)), ("x2", NumberText.coord(x2)),
                                    ("y2", NumberText.coord(y2)), ("stroke", stroke), ("stroke-width", NumberText.coord(width))]))
    }

    func finish() -> String { (lines + ["</svg>"]).joined(separator: "\n") + "\n" }

    /// Rough rendered width of text (sans-serif averages ~0.6 em per character).
    static func textWidth(_ s: String, size: Double = 12) -> Double { Double(TerminalText.width(s)) * size * 0.6 }

    /// Cuts a label to fit `maxWidth` pixels.
    static func fit(_ s: String, maxWidth: Double, size: Double = 12) -> String {
        TerminalText.truncate(s, to: max(1, Int(maxWidth / (size * 0.6))))
    }

    /// Draws the title and a wrapped legend row; returns the y where the plot may start.
    mutating func header(title: String?, legend: [(String, RGB)], swatch: LegendSwatch) -> Double {
        var y = 10.0
        if let title, !title.isEmpty {
            text(SVGDocument.fit(title, maxWidth: width - 20, size: 15), x: width / 2, y: y + 15, anchor: "middle",
                 size: 15, weight: "600", extra: [("class", "chart-title")])
            y += 24
        }
        guard !legend.isEmpty else { return y + 6 }
        var rows: [[(String, RGB, Double)]] = [[]]
        var rowWidth = 0.0
        let maxName = width * 0.45
        for (name, color) in legend {
            let label = SVGDocument.fit(name, maxWidth: maxName)
            let w = 22 + SVGDocument.textWidth(label) + 16
            if rowWidth + w > width - 40, !rows[rows.count - 1].isEmpty { rows.append([]); rowWidth = 0 }
            rows[rows.count - 1].append((label, color, w))
            rowWidth += w
        }
        add("<g class=\"legend\">")
        for row in rows {
            let total = row.reduce(0) { $0 + $1.2 } - 16
            var x = (width - total) / 2
            let cy = y + 9
            for (label, color, w) in row {
                switch swatch {
                case .line:
                    line(x, cy, x + 16, cy, stroke: color.hex, width: 2.5)
                case .box:
                    add(Markup.element("rect", [("x", NumberText.coord(x + 3)), ("y", NumberText.coord(cy - 5)), ("width", "10"),
                                                ("height", "10"), ("fill", color.hex)]))
                }
                text(label, x: x + 22, y: cy + 4)
                x += w
            }
            y += 18
        }
        add("</g>")
        return y + 6
    }

    enum LegendSwatch { case line, box }
}

/// A plot rectangle with a numeric y axis (ticks, grid, labels).
struct PlotArea {
    var left: Double, top: Double, right: Double, bottom: Double
    var yTicks: Ticks

    var width: Double { right - left }
    var height: Double { bottom - top }

    func y(_ v: Double) -> Double {
        let t = (v - yTicks.lower) / (yTicks.upper - yTicks.lower)
        return bottom - t * height
    }

    /// Works out the plot rectangle from the space left after the header, leaving room for
    /// y tick labels, the rotated y label, x tick labels and the x label.
    static func layout(doc: SVGDocument, top: Double, yRange: (Double, Double), widenY: Bool,
                       yLabel: String?, xLabel: String?, bottomLabelRows: Double = 1) -> PlotArea {
        let bottom = doc.height - 10 - 18 * bottomLabelRows - ((xLabel ?? "").isEmpty ? 0 : 18)
        let target = max(2, min(8, Int((bottom - top) / 45)))
        let ticks = Ticks(lo: yRange.0, hi: yRange.1, target: target, widen: widenY)
        let labelWidth = ticks.labels.map { SVGDocument.textWidth($0) }.max() ?? 0
        let left = 10 + ((yLabel ?? "").isEmpty ? 0 : 20) + labelWidth + 8
        return PlotArea(left: left, top: top, right: doc.width - 18, bottom: max(top + 20, bottom), yTicks: ticks)
    }

    /// Horizontal grid lines, y tick labels, axis lines and axis labels.
    func drawYAxis(into doc: inout SVGDocument, yLabel: String?, xLabel: String?) {
        doc.add("<g class=\"y-axis\">")
        for (v, label) in zip(yTicks.values, yTicks.labels) {
            let yy = y(v)
            doc.line(left, yy, right, yy, stroke: SVGDocument.grid)
            doc.text(label, x: left - 6, y: yy + 4, anchor: "end", fill: SVGDocument.muted)
        }
        doc.add("</g>")
        doc.line(left, top, left, bottom, stroke: "#888888")
        doc.line(left, bottom, right, bottom, stroke: "#888888")
        if let yLabel, !yLabel.isEmpty {
            let cy = (top + bottom) / 2
            doc.text(SVGDocument.fit(yLabel, maxWidth: height), x: 16, y: cy, anchor: "middle",
                     extra: [("transform", "rotate(-90 16 \(NumberText.coord(cy)))"), ("class", "axis-label")])
        }
        if let xLabel, !xLabel.isEmpty {
            doc.text(SVGDocument.fit(xLabel, maxWidth: width), x: (left + right) / 2, y: doc.height - 10, anchor: "middle",
                     extra: [("class", "axis-label")])
        }
    }

    /// A clip path for the plot rectangle; returns the `url(#id)` reference.
    func clip(into doc: inout SVGDocument, id: String) -> String {
        doc.add("<defs><clipPath id=\"\(id)\"><rect x=\"\(NumberText.coord(left))\" y=\"\(NumberText.coord(top - 3))\" width=\"\(NumberText.coord(width + 3))\" height=\"\(NumberText.coord(height + 6))\"/></clipPath></defs>")
        return "url(#\(id))"
    }
}
