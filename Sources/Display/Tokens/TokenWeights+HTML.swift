extension TokenWeights {
    /// A self-styled HTML fragment (inline styles only, so it survives being pasted into
    /// Markdown): each token a `<span>` on its colour, with a hover title holding the exact
    /// value and `data-value`; a colour legend below. `showValues` adds each value as a
    /// small superscript.
    public func html(showValues: Bool = false, decimals: Int = 2) -> String {
        var out = "<figure class=\"taalm-tokens\" style=\"margin:0.6em 0\">\n"
        if let label, !label.isEmpty {
            out += "<figcaption style=\"font-weight:600;margin-bottom:0.3em\">\(Markup.escape(label))</figcaption>\n"
        }
        out += "<div class=\"tokens\" style=\"white-space:pre-wrap;line-height:2.1;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:0.95em\">"
        for i in tokens.indices {
            let (sep, body) = pieces(i)
            out += Markup.escape(sep)
            out += span(i, body: body, showValues: showValues, decimals: decimals)
        }
        out += "</div>\n"
        out += TokenWeights.htmlLegend(mapping)
        out += "</figure>\n"
        return out
    }

    func span(_ i: Int, body: String, showValues: Bool, decimals: Int) -> String {
        let v = values[i]
        let shown = body.replacing("\n", with: "↵\n")
        let tip = "\(body.replacing("\n", with: "↵")) · #\(i) · \(exactValues[i])"
        var style = "border-radius:3px;padding:0.1em 0.15em"
        if !v.isNaN {
            let bg = mapping.color(v)
            style = "background:\(bg.hex);color:\(bg.textColor.hex);" + style
        }
        var s = "<span class=\"tok\"" + Markup.attributes([("style", style), ("title", tip), ("data-value", exactValues[i])]) + ">"
        s += Markup.escape(shown)
        if showValues { s += "<sup style=\"font-size:0.65em;opacity:0.8\">\(Markup.escape(NumberText.fixed(v, decimals)))</sup>" }
        return s + "</span>"
    }

    /// A gradient bar between the low and high values (zero marked for diverging scales);
    /// `label` names the weighting, `hint` adds the hover tip.
    static func htmlLegend(_ map: ColorMapping, label: String? = nil, hint: Bool = true) -> String {
        let stops = (0...10).map { k in map.color(map.lower + (map.upper - map.lower) * Double(k) / 10).hex }.joined(separator: ",")
        let lo = NumberText.compact(map.lower, significant: 3), hi = NumberText.compact(map.upper, significant: 3)
        var out = "<div class=\"legend\" style=\"display:inline-flex;align-items:center;gap:0.4em;font-size:0.8em;color:#555;margin:0.3em 1.4em 0 0\">"
        if let label, !label.isEmpty { out += "<span style=\"font-weight:600\">\(Markup.escape(label))</span>" }
        out += "<span>\(Markup.escape(lo))</span>"
            + "<span style=\"display:inline-block;width:9em;height:0.8em;border:1px solid #bbb;background:linear-gradient(to right,\(stops))\"></span>"
            + "<span>\(Markup.escape(hi))</span>"
        if map.scale == .diverging { out += "<span>(white = 0)</span>" }
        if hint { out += "<span style=\"margin-left:0.6em\">hover a token for its exact value</span>" }
        return out + "</div>\n"
    }
}
