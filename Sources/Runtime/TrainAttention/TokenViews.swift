import Display
import Language
import NN

/// Token texts and views for Train-Attention's teaching displays.
enum TokenViews {
    /// The readable tokens of ids (targets: the document without its first token).
    static func strings(_ tok: TextTokenizer?, _ ids: [Int]) -> [String] {
        if let tok, let s = try? tok.tokenStrings(ids) { return s }
        return ids.map { "#\($0)" }
    }

    /// Byte-level BPE tokens carry their own spaces; word tokens are joined by spaces.
    static func joiner(_ tok: TextTokenizer?) -> String {
        if case .bpe = tok { return "" }
        return " "
    }

    /// One weighting of a document as a heatmap value ([0, 1] weights use a fixed scale).
    static func single(_ tok: TextTokenizer?, _ ids: [Int], _ values: [Float], label: String, fixedUnit: Bool) -> WeightsView {
        let mapping: ColorMapping? = fixedUnit ? ColorMapping(scale: .sequential, lower: 0, upper: 1) : nil
        return WeightsView(.single(TokenWeights(tokens: strings(tok, ids), values: values, label: label, mapping: mapping, joiner: joiner(tok))))
    }

    /// Several weightings of one document, token-aligned.
    static func comparison(_ tok: TextTokenizer?, _ ids: [Int], _ rows: [(String, [Float], Bool)], title: String) -> WeightsView {
        let weightings = rows.map { label, values, unit in
            (label: label, values: values.map(Double.init), mapping: unit ? ColorMapping(scale: .sequential, lower: 0, upper: 1) : nil)
        }
        return WeightsView(.comparison(TokenComparison(title: title, tokens: strings(tok, ids), weightings: weightings, joiner: joiner(tok))))
    }
}
