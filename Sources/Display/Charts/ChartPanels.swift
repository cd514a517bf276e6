/// Line charts side by side in one figure (e.g. TO-LEARN and NOT-TO-FORGET accuracy per
/// epoch, one series per method): series in the same order get the same colour in every
/// panel. SVG: one document with each panel a nested `<svg class="panel">`; terminal:
/// the panels one under the other.
public struct ChartPanels: Sendable, Hashable {
    public var title: String?
    public var panels: [LineChart]

    public init(title: String? = nil, panels: [LineChart]) {
        self.title = title; self.panels = panels
    }

    /// A self-contained SVG document, `panelWidth` × `height` per panel plus the title.
    public func svg(panelWidth: Int = 470, height: Int = 340) -> String {
        let titleHeight = (title ?? "").isEmpty ? 0 : 34
        let n = max(1, panels.count)
        let w = panelWidth * n, h = height + titleHeight
        var doc = SVGDocument(width: w, height: h, title: title, kind: "chart-panels")
        if let title, !title.isEmpty {
            doc.text(SVGDocument.fit(title, maxWidth: Double(w) - 20, size: 16), x: Double(w) / 2, y: 24, anchor: "middle",
                     size: 16, weight: "600", extra: [("class", "chart-title")])
        }
        for (i, panel) in panels.enumerated() {
            var inner = panel.svg(width: panelWidth, height: height)
            // The panel's own root element becomes a positioned nested <svg>.
            if let open = inner.firstRange(of: "<svg ") {
                inner.replaceSubrange(open, with: "<svg x=\"\(i * panelWidth)\" y=\"\(titleHeight)\" ")
            }
            inner = inner.replacing("class=\"taalm-chart line-chart\"", with: "class=\"panel line-chart\"")
            doc.add(inner.trailingNewlinesTrimmed())
        }
        return doc.finish()
    }

    /// The panels drawn one under the other (colour as `ColorMode` allows).
    public func terminal(width: Int = 80, height: Int = 10, color: ColorMode = .off) -> String {
        var parts: [String] = []
        if let title, !title.isEmpty { parts.append(title) }
        for p in panels { parts.append(p.terminal(width: width, height: height, color: color).trailingNewlinesTrimmed()) }
        return parts.joined(separator: "\n") + "\n"
    }
}
