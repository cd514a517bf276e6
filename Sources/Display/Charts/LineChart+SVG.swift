extension LineChart {
    /// A self-contained SVG document. Each series is a `<g class="series" data-series=NAME>`
    /// holding one `<polyline>` per unbroken run of finite points (NaN/inf break the line),
    /// with `data-points` listing the data values (`x,y x,y ...`) and `points` the pixels;
    /// dots carry a `<title>` tooltip with the exact values.
    public func svg(width: Int = 640, height: Int = 360) -> String {
        var doc = SVGDocument(width: width, height: height, title: title, kind: "line-chart")
        let legendEntries = legend ? series.enumerated().map { ($0.element.name, Palette.color($0.offset)) } : []
        let top = doc.header(title: title, legend: legendEntries, swatch: .line)
        let (xr, yr) = ranges(margin: true)
        var area = PlotArea.layout(doc: doc, top: top, yRange: yr, widenY: yRange == nil, yLabel: yLabel, xLabel: xLabel)
        area.right -= 6
        let xTarget = max(2, min(10, Int(area.width / 80)))
        var xTicks = Ticks(lo: xr.0, hi: xr.1, target: xTarget, widen: false)
        if integerX, xTicks.step < 1 { xTicks = Ticks(lo: xr.0, hi: xr.1, target: max(1, Int(xr.1 - xr.0)), widen: false) }
        let (x0, x1) = xr
        func px(_ x: Double) -> Double { area.left + (x - x0) / (x1 - x0) * area.width }

        area.drawYAxis(into: &doc, yLabel: yLabel, xLabel: xLabel)
        doc.add("<g class=\"x-axis\">")
        for (v, label) in zip(xTicks.values, xTicks.labels) where v >= x0 - 1e-9 * abs(x1 - x0) && v <= x1 + 1e-9 * abs(x1 - x0) {
            let xx = px(v)
            doc.line(xx, area.bottom, xx, area.bottom + 4, stroke: "#888888")
            doc.text(label, x: xx, y: area.bottom + 17, anchor: "middle", fill: SVGDocument.muted)
        }
        doc.add("</g>")

        let clip = area.clip(into: &doc, id: "clip-" + stableHash(svgIdentity))
        if finitePoints.isEmpty {
            doc.text("no data", x: (area.left + area.right) / 2, y: (area.top + area.bottom) / 2, anchor: "middle",
                     fill: SVGDocument.muted)
        }
        for (i, s) in series.enumerated() {
            let color = Palette.color(i).hex
            doc.add("<g" + Markup.attributes([("class", "series"), ("data-series", s.name), ("clip-path", clip)]) + ">")
            let drawDots = markers ?? (s.points.count <= 60)
            for seg in s.segments {
                let pixels = seg.map { "\(NumberText.coord(px($0.x))),\(NumberText.coord(area.y($0.y)))" }.joined(separator: " ")
                let data = seg.map { "\(NumberText.shortest($0.x)),\(NumberText.shortest($0.y))" }.joined(separator: " ")
                doc.add(Markup.element("polyline", [("data-series", s.name), ("data-points", data), ("points", pixels),
                                                    ("fill", "none"), ("stroke", color), ("stroke-width", "2"),
                                                    ("stroke-linejoin", "round"), ("stroke-linecap", "round")]))
                if drawDots || seg.count == 1 {
                    for p in seg {
                        let tip = "\(s.name): x = \(NumberText.shortest(p.x)), y = \(NumberText.shortest(p.y))"
                        doc.add(Markup.element("circle", [("cx", NumberText.coord(px(p.x))), ("cy", NumberText.coord(area.y(p.y))),
                                                          ("r", "3"), ("fill", color)],
                                               content: Markup.element("title", [], content: Markup.escape(tip))))
                    }
                }
            }
            doc.add("</g>")
        }
        return doc.finish()
    }

    /// Text that identifies this chart's content (for stable, distinct element ids).
    var svgIdentity: String {
        ([title ?? "", xLabel ?? "", yLabel ?? ""] + series.map { s in
            s.name + s.points.map { "\($0.x),\($0.y)" }.joined(separator: ";")
        }).joined(separator: "|")
    }
}
