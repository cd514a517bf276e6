/// A document as tokens with one value each: Train-Attention weights in [0, 1], or signed
/// values such as meta-gradients (drawn on a diverging scale).
public struct TokenWeights: Sendable, Hashable {
    /// Token texts as they appear in the document. With `joiner: ""` (byte-level BPE) a
    /// token that starts with whitespace begins a new word; with `joiner: " "` (word-level)
    /// every token is a word.
    public var tokens: [String]
    /// One value per token (missing values count as NaN, drawn uncoloured).
    public var values: [Double]
    /// The exact value texts shown in hover titles (shortest round-trip form).
    public var exactValues: [String]
    public var label: String?
    public var mapping: ColorMapping
    public var joiner: String

    public init(tokens: [String], values: [Double], label: String? = nil, mapping: ColorMapping? = nil, joiner: String = " ") {
        self.tokens = tokens
        self.values = tokens.indices.map { $0 < values.count ? values[$0] : .nan }
        self.exactValues = self.values.map { NumberText.shortest($0) }
        self.label = label
        self.mapping = mapping ?? .fitted(to: values)
        self.joiner = joiner
    }

    /// Float values keep their own shortest text (`0.82`, not `0.8199999928474426`).
    public init(tokens: [String], values: [Float], label: String? = nil, mapping: ColorMapping? = nil, joiner: String = " ") {
        self.init(tokens: tokens, values: values.map(Double.init), label: label, mapping: mapping, joiner: joiner)
        self.exactValues = tokens.indices.map { i in
            guard i < values.count else { return "nan" }
            let f = values[i]
            guard f.isFinite else { return NumberText.nonFinite(Double(f)) }
            return f == f.rounded() && abs(f) < 1e7 ? String(Int(f)) : "\(f)"
        }
    }

    /// The token's text split into the separator before it and its visible body.
    /// Newlines inside a token stay in the body (they become `↵` and a line break).
    func pieces(_ i: Int) -> (separator: String, body: String) {
        let t = tokens[i]
        var body = Substring(t)
        var sep = i == 0 ? "" : joiner
        while let f = body.first, f == " " || f == "\t" { sep.append(f); body.removeFirst() }
        return (sep, String(body))
    }
}

/// How token values appear in plain (uncoloured) text.
public enum TokenAnnotation: Sendable, Hashable {
    /// `Paris⁽⁰·⁸²⁾`
    case superscript
    /// `Paris[0.82]`
    case brackets
    /// No numbers (only sensible with colour).
    case none

    func text(_ v: Double, decimals: Int) -> String {
        switch self {
        case .none: return ""
        case .brackets: return "[" + NumberText.fixed(v, decimals) + "]"
        case .superscript: return "⁽" + TokenAnnotation.superscriptDigits(NumberText.fixed(v, decimals)) + "⁾"
        }
    }

    static func superscriptDigits(_ s: String) -> String {
        let map: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
            "-": "⁻", "+": "⁺", ".": "·", "n": "ⁿ", "a": "ᵃ", "i": "ⁱ", "f": "ᶠ", "e": "ᵉ",
        ]
        return String(s.map { map[$0] ?? $0 })
    }
}
