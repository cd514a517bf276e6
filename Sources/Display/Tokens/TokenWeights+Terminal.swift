extension TokenWeights {
    /// The document wrapped to `width` columns at word boundaries (a subword piece stays
    /// with its word; a word wider than a line is split), each token on its colour (colour
    /// on) or followed by its value (`annotation`, default superscript when colour is off),
    /// then a legend line.
    public func terminal(width: Int = 80, color: ColorMode = .off, annotation: TokenAnnotation? = nil, decimals: Int = 2) -> String {
        let note = annotation ?? (color.enabled ? .none : .superscript)
        let width = max(8, width)
        // words: runs of tokens whose separators hold no whitespace
        var cells: [(index: Int, text: String, startsWord: Bool, newline: Bool)] = []
        for i in tokens.indices {
            let (sep, body) = pieces(i)
            let startsWord = i == 0 || sep.contains(where: { $0 == " " || $0 == "\t" }) || cells.last?.newline == true
            let parts = body.split(separator: "\n", omittingEmptySubsequences: false)
            for (k, part) in parts.enumerated() {
                let isLast = k == parts.count - 1
                let text = String(part) + (isLast ? "" : "↵")
                if text.isEmpty && isLast && k > 0 { continue }
                cells.append((i, text, k == 0 ? startsWord : true, !isLast))
            }
        }
        var lines: [String] = []
        if let label, !label.isEmpty { lines.append(ANSI.paint(label, bold: true, color)) }
        var line = "", lineWidth = 0
        func breakLine() { lines.append(line); line = ""; lineWidth = 0 }
        func render(_ c: (index: Int, text: String, startsWord: Bool, newline: Bool)) -> (String, Int) {
            let v = values[c.index]
            let ann = note.text(v, decimals: decimals)
            let plainWidth = TerminalText.width(c.text) + TerminalText.width(ann)
            guard color.enabled, !v.isNaN else { return (c.text + ann, plainWidth) }
            let bg = mapping.color(v)
            return (ANSI.paint(c.text, fg: bg.textColor, bg: bg, color) + ann, plainWidth)
        }
        var k = 0
        while k < cells.count {
            // gather one word
            var word: [(String, Int)] = []
            var endsLine = false
            var j = k
            repeat {
                let r = render(cells[j])
                word.append(r)
                endsLine = cells[j].newline
                j += 1
            } while j < cells.count && !cells[j].startsWord && !endsLine
            let wordWidth = word.reduce(0) { $0 + $1.1 }
            let space = lineWidth > 0 ? 1 : 0
            if lineWidth > 0, lineWidth + space + wordWidth > width { breakLine() }
            if lineWidth > 0 { line += " "; lineWidth += 1 }
            for (text, w) in word {
                if lineWidth > 0, lineWidth + w > width { breakLine() }
                if w > width, !color.enabled {
                    // a single piece wider than the line: hard-split its plain text
                    var chunk = ""
                    for ch in text {
                        if lineWidth + TerminalText.width(of: ch) > width { line += chunk; chunk = ""; breakLine() }
                        chunk.append(ch); lineWidth += TerminalText.width(of: ch)
                    }
                    line += chunk
                } else {
                    line += text; lineWidth += w
                }
            }
            if endsLine { breakLine() }
            k = j
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        lines.append(TokenWeights.legend(mapping, color: color))
        return lines.joined(separator: "\n") + "\n"
    }

    static func legend(_ map: ColorMapping, color: ColorMode) -> String {
        let lo = NumberText.compact(map.lower, significant: 3), hi = NumberText.compact(map.upper, significant: 3)
        if color.enabled {
            var ramp = ""
            for k in 0..<20 { ramp += ANSI.paint(" ", bg: map.color(map.lower + (map.upper - map.lower) * Double(k) / 19), color) }
            return "\(lo) \(ramp) \(hi)"
        }
        return map.scale == .diverging ? "scale: \(lo) (blue) … 0 … \(hi) (red)" : "scale: \(lo) … \(hi)"
    }
}
