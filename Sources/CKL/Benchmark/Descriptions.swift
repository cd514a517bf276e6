/// Readable text for units and benchmarks (plain text; Display may render richer forms).
extension CKLUnit: CustomStringConvertible {
    /// The object's occurrences in `text` marked as ⟦object⟧.
    public static func marking(_ spans: [ObjectSpan], in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var k = 0
        for s in spans where s.characters.lowerBound >= k && s.characters.upperBound <= scalars.count {
            out.append(contentsOf: scalars[k..<s.characters.lowerBound])
            out.append("⟦")
            out.append(contentsOf: scalars[s.characters])
            out.append("⟧")
            k = s.characters.upperBound
        }
        out.append(contentsOf: scalars[k...])
        return String(out)
    }

    public var description: String {
        let words = evidenceWords.count
        let pct = String(format1: objectWordFraction * 100)
        return """
            unit \(relationCode) \(relationLabel) (\(invariant ? "invariant" : "variant")) \(uuid)
              subject   \(subject)
              relation  \(relationLabel)
              object    \(object)
              task      \(Self.marking([taskObjectSpan], in: taskDescriptive))
              evidence  \(words) words, object ×\(evidenceObjectSpans.count) (\(pct) % of words)
                        \(Self.marking(evidenceObjectSpans, in: evidence))
            """
    }
}

extension LamaCKLBenchmark: CustomStringConvertible {
    public var description: String {
        let s = statistics
        var rows: [[String]] = [["split", "units", "invariant", "relations", "words/doc", "min–max", "object words"]]
        for x in s.splits {
            rows.append([x.name, String(x.units), String(x.invariantUnits), String(x.relations),
                         String(format1: x.meanEvidenceWords), "\(x.minEvidenceWords)–\(x.maxEvidenceWords)",
                         String(format1: x.objectWordFraction * 100) + " %"])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var lines = [name]
        for (r, row) in rows.enumerated() {
            let cells = row.enumerated().map { c, cell in
                c == 0 ? cell.padding(widths[c]) : String(repeating: " ", count: widths[c] - cell.count) + cell
            }
            lines.append("  " + cells.joined(separator: "  "))
            if r == 0 { lines.append("  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        lines.append("  pretraining corpus: \(s.corpusDocuments) documents, \(s.corpusWords) words; vocabulary \(s.vocabularySize) words")
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// A number with one decimal ("6.5").
    init(format1 x: Double) {
        guard x.isFinite else { self = "\(x)"; return }
        let r = (x * 10).rounded() / 10
        var s = String(r)
        if !s.contains(".") { s += ".0" }
        self = s
    }

    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
