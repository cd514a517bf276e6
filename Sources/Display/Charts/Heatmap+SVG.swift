extension Heatmap {
    /// A self-contained SVG document: one `<rect class="cell">` per value (with `data-row`,
    /// `data-col`, `data-value` and a tooltip), row labels left, column labels on top, and a
    /// colour legend on the right. NaN cells are light grey.
    public func svg(cellSize: Int = 28) -> String {
        let map = resolvedMapping
        let cell = Double(max(6, cellSize))
        let rowLabelWidth = min(160, (0..<rows).map { SVGDocument.textWidth(rowLabel($0)) }.max() ?? 0)
        let colLabelLength = min(140, (0..<columns).map { SVGDocument.textWidth(columnLabel($0)) }.max() ?? 0)
        let rotate = colLabelLength > cell - 4
        let colLabelHeight = rotate ? colLabelLength * 0.72 + 10 : 18
        let titleHeight = (title ?? "").isEmpty ? 10.0 : 34
        let gridW = cell * Double(columns), gridH = cell * Double(rows)
        let legendWidth = 90.0
        let width = Int(10 + rowLabelWidth + 8 + gridW + 24 + legendWidth)
        let legendHeight = max(100, min(gridH, 220))
        let height = Int(titleHeight + colLabelHeight + max(gridH, legendHeight + 8) + 16)
        var doc = SVGDocument(width: width, height: height, title: title, kind: "heatmap")
        _ = doc.header(title: title, legend: [], swatch: .box)
        let left = 10 + rowLabelWidth + 8
        let top = titleHeight + colLabelHeight
        if rows == 0 || columns == 0 {
            doc.text("no data", x: left + 40, y: top + 40, fill: SVGDocument.muted)
        }
        let showNumbers = (showValues ?? (rows * columns <= 150)) && cell >= 22
        doc.add("<g class=\"labels\">")
        for r in 0..<rows {
            doc.text(SVGDocument.fit(rowLabel(r), maxWidth: 160), x: left - 6, y: top + cell * (Double(r) + 0.5) + 4, anchor: "end")
        }
        for c in 0..<columns {
            let cx = left + cell * (Double(c) + 0.5)
            let label = SVGDocument.fit(columnLabel(c), maxWidth: 140)
            if rotate {
                doc.text(label, x: cx, y: top - 6, extra: [("transform", "rotate(-45 \(NumberText.coord(cx)) \(NumberText.coord(top - 6)))")])
            } else {
                doc.text(label, x: cx, y: top - 6, anchor: "middle")
            }
        }
        doc.add("</g>")
        doc.add("<g class=\"cells\">")
        for r in 0..<rows {
            for c in 0..<columns {
                let v = value(r, c)
                let color = map.color(v)
                let tip = "\(rowLabel(r)), \(columnLabel(c)): \(NumberText.shortest(v))"
                doc.add(Markup.element("rect", [("class", "cell"), ("data-row", String(r)), ("data-col", String(c)),
                                                ("data-value", NumberText.shortest(v)), ("x", NumberText.coord(left + cell * Double(c))),
                                                ("y", NumberText.coord(top + cell * Double(r))), ("width", NumberText.coord(cell)),
                                                ("height", NumberText.coord(cell)), ("fill", v.isNaN ? "#eeeeee" : color.hex),
                                                ("stroke", "#ffffff"), ("stroke-width", "1")],
                                       content: Markup.element("title", [], content: Markup.escape(tip))))
                if showNumbers, !v.isNaN {
                    doc.text(NumberText.compact(v, significant: 2), x: left + cell * (Double(c) + 0.5),
                             y: top + cell * (Double(r) + 0.5) + 4, anchor: "middle", size: 10, fill: color.textColor.hex)
                }
            }
        }
        doc.add("</g>")
        drawLegend(into: &doc, mapping: map, x: left + gridW + 24, top: top, height: legendHeight)
        return doc.finish()
    }

    private func drawLegend(into doc: inout SVGDocument, mapping: ColorMapping, x: Double, top: Double, height: Double) {
        let id = "grad-" + stableHash(svgIdentity)
        var stops = ""
        for k in 0...10 {
            let v = mapping.lower + (mapping.upper - mapping.lower) * Double(10 - k) / 10
            stops += "<stop offset=\"\(k * 10)%\" stop-color=\"\(mapping.color(v).hex)\"/>"
        }
        doc.add("<g class=\"color-legend\">")
        doc.add("<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">\(stops)</linearGradient></defs>")
        doc.add(Markup.element("rect", [("x", NumberText.coord(x)), ("y", NumberText.coord(top)), ("width", "14"),
                                        ("height", NumberText.coord(height)), ("fill", "url(#\(id))"), ("stroke", "#999999")]))
        let ticks = Ticks(lo: mapping.lower, hi: mapping.upper, target: 4, widen: false)
        for (v, label) in zip(ticks.values, ticks.labels) {
            let y = top + (mapping.upper - v) / (mapping.upper - mapping.lower) * height
            doc.line(x + 14, y, x + 18, y, stroke: "#999999")
            doc.text(label, x: x + 21, y: y + 4, size: 11, fill: SVGDocument.muted)
        }
        doc.add("</g>")
    }

    var svgIdentity: String {
        ([title ?? ""] + rowLabels + columnLabels + values.map { $0.map { "\($0)" }.joined(separator: ",") }).joined(separator: "|")
    }
}
