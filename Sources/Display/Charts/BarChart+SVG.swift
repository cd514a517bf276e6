extension BarChart {
    /// A self-contained SVG document; each bar is a `<rect class="bar">` with
    /// `data-series`, `data-category` and `data-value` and a `<title>` tooltip.
    public func svg(width: Int = 640, height: Int = 360) -> String {
        var doc = SVGDocument(width: width, height: height, title: title, kind: "bar-chart")
        let legendEntries = legend && (series.count > 1 || categories.isEmpty == false && series.count == 1 && !series[0].name.isEmpty)
            ? series.enumerated().map { ($0.element.name, Palette.color($0.offset)) } : []
        let top = doc.header(title: title, legend: legendEntries, swatch: .box)
        let area = PlotArea.layout(doc: doc, top: top + (shouldShowValues ? 8 : 0), yRange: range(), widenY: yRange == nil,
                                   yLabel: yLabel, xLabel: xLabel)
        area.drawYAxis(into: &doc, yLabel: yLabel, xLabel: xLabel)
        let clip = area.clip(into: &doc, id: "clip-" + stableHash(svgIdentity))
        guard !categories.isEmpty, !series.isEmpty else {
            doc.text("no data", x: (area.left + area.right) / 2, y: (area.top + area.bottom) / 2, anchor: "middle",
                     fill: SVGDocument.muted)
            return doc.finish()
        }
        let band = area.width / Double(categories.count)
        let groupWidth = band * 0.8
        let barWidth = groupWidth / Double(series.count)
        let zero = area.y(min(max(0, area.yTicks.lower), area.yTicks.upper))
        doc.add("<g class=\"x-axis\">")
        for (c, name) in categories.enumerated() {
            let cx = area.left + band * (Double(c) + 0.5)
            doc.text(SVGDocument.fit(name, maxWidth: band - 4), x: cx, y: area.bottom + 17, anchor: "middle",
                     fill: SVGDocument.muted, extra: [("data-category", name)])
        }
        doc.add("</g>")
        doc.add("<g class=\"bars\" clip-path=\"\(clip)\">")
        for c in categories.indices {
            for s in series.indices {
                let v = value(s, c)
                guard v.isFinite else { continue }
                let x = area.left + band * Double(c) + (band - groupWidth) / 2 + barWidth * Double(s)
                let yv = area.y(v)
                let (y0, h) = (min(yv, zero), abs(yv - zero))
                let tip = "\(series[s].name.isEmpty ? "" : series[s].name + ", ")\(categories[c]): \(NumberText.shortest(v))"
                doc.add(Markup.element("rect", [("class", "bar"), ("data-series", series[s].name), ("data-category", categories[c]),
                                                ("data-value", NumberText.shortest(v)), ("x", NumberText.coord(x + 0.5)),
                                                ("y", NumberText.coord(y0)), ("width", NumberText.coord(max(0.5, barWidth - 1))),
                                                ("height", NumberText.coord(h)), ("fill", Palette.color(s).hex)],
                                       content: Markup.element("title", [], content: Markup.escape(tip))))
            }
        }
        doc.add("</g>")
        if shouldShowValues {
            doc.add("<g class=\"values\">")
            for c in categories.indices {
                for s in series.indices {
                    let v = value(s, c)
                    guard v.isFinite, v >= area.yTicks.lower, v <= area.yTicks.upper else { continue }
                    let x = area.left + band * Double(c) + (band - groupWidth) / 2 + barWidth * (Double(s) + 0.5)
                    let yv = area.y(v)
                    doc.text(NumberText.compact(v, significant: 3), x: x, y: v >= 0 ? yv - 4 : yv + 13, anchor: "middle",
                             size: barWidth < 28 ? 9 : 11, fill: SVGDocument.muted)
                }
            }
            doc.add("</g>")
        }
        if area.yTicks.lower < 0 { doc.line(area.left, zero, area.right, zero, stroke: "#888888") }
        return doc.finish()
    }

    var shouldShowValues: Bool { showValues ?? (barCount <= 24) }

    var svgIdentity: String {
        ([title ?? "", yLabel ?? ""] + categories + series.map { $0.name + $0.values.map { "\($0)" }.joined(separator: ",") })
            .joined(separator: "|")
    }
}
