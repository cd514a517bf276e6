/// A word-level tokenizer for readable teaching examples: words (runs of letters, digits
/// and combining marks) and single punctuation characters are tokens; whitespace only
/// separates. Ids 0–3 are `<pad> <bos> <eos> <unk>`; the rest are the corpus's words by
/// falling frequency (ties alphabetical), so the same corpus gives the same vocabulary.
///
/// Round trip: `encode(decode(ids)) == ids` for ids without `<unk>`, and `decode(encode(t))`
/// is `t` with normalised spacing (one space between words, none before `. , ; : ! ? ) ]`
/// or after `( [`); words missing from the vocabulary become `<unk>`.
public struct WordTokenizer: Tokenizer, Codable, Equatable {
    /// Token strings by id.
    public let vocabulary: [String]
    private var ids: [String: Int]
    /// When true, text is lowercased before lookup.
    public let lowercase: Bool

    /// Builds the vocabulary from `corpus`: words seen at least `minCount` times, the
    /// most frequent `maxVocab − 4` of them when `maxVocab` is given.
    public init(corpus: [String], minCount: Int = 1, maxVocab: Int? = nil, lowercase: Bool = false) throws(NNError) {
        guard minCount >= 1 else { throw .tokenizer("minCount must be ≥ 1, got \(minCount)") }
        if let m = maxVocab, m < 5 { throw .tokenizer("maxVocab must be ≥ 5 (4 special tokens and a word), got \(m)") }
        var counts: [String: Int] = [:]
        for doc in corpus {
            for piece in SpecialSplit.split(doc) {
                guard case .text(let t) = piece else { continue }
                for w in Self.split(t, lowercase: lowercase) { counts[w, default: 0] += 1 }
            }
        }
        var words = counts.filter { $0.value >= minCount }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        if let m = maxVocab, words.count > m - 4 { words = Array(words.prefix(m - 4)) }
        try self.init(vocabulary: SpecialToken.allCases.map(\.rawValue) + words, lowercase: lowercase)
    }

    /// A tokenizer with a given vocabulary (its first four entries must be the special tokens).
    public init(vocabulary: [String], lowercase: Bool = false) throws(NNError) {
        guard Array(vocabulary.prefix(4)) == SpecialToken.allCases.map(\.rawValue) else {
            throw .tokenizer("a word vocabulary must start with <pad> <bos> <eos> <unk>")
        }
        var ids: [String: Int] = [:]
        for (i, w) in vocabulary.enumerated() {
            guard ids[w] == nil else { throw .tokenizer("word '\(w)' appears twice in the vocabulary") }
            ids[w] = i
        }
        self.vocabulary = vocabulary
        self.ids = ids
        self.lowercase = lowercase
    }

    enum CodingKeys: String, CodingKey { case vocabulary, lowercase }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(vocabulary: c.decode([String].self, forKey: .vocabulary), lowercase: c.decode(Bool.self, forKey: .lowercase))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vocabulary, forKey: .vocabulary)
        try c.encode(lowercase, forKey: .lowercase)
    }

    public var vocabSize: Int { vocabulary.count }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// Words and punctuation of `text`, in order.
    static func split(_ text: Substring, lowercase: Bool) -> [String] {
        var out: [String] = []
        var word = ""
        for ch in text {
            if isWordChar(ch) {
                word.append(ch)
            } else {
                if !word.isEmpty { out.append(lowercase ? word.lowercased() : word); word = "" }
                if !ch.isWhitespace { out.append(String(ch)) }
            }
        }
        if !word.isEmpty { out.append(lowercase ? word.lowercased() : word) }
        return out
    }

    public func encode(_ text: String) -> [Int] {
        var out: [Int] = []
        for piece in SpecialSplit.split(text) {
            switch piece {
            case .special(let id): out.append(id)
            case .text(let t): for w in Self.split(t, lowercase: lowercase) { out.append(ids[w] ?? SpecialToken.unk.id) }
            }
        }
        return out
    }

    /// The id of one word, or nil when it is not in the vocabulary.
    public func id(of word: String) -> Int? { ids[lowercase ? word.lowercased() : word] }

    public func tokenStrings(_ ids: [Int]) throws(NNError) -> [String] {
        var out: [String] = []
        for i in ids {
            guard i >= 0, i < vocabulary.count else { throw .tokenizer("token id \(i) is outside the vocabulary 0..<\(vocabulary.count)") }
            out.append(vocabulary[i])
        }
        return out
    }

    static let noSpaceBefore: Set<String> = [".", ",", ";", ":", "!", "?", ")", "]", "}", "%"]
    static let noSpaceAfter: Set<String> = ["(", "[", "{"]

    public func decode(_ ids: [Int]) throws(NNError) -> String {
        var s = ""
        var prev: String? = nil
        for w in try tokenStrings(ids) {
            if let p = prev, !Self.noSpaceBefore.contains(w), !Self.noSpaceAfter.contains(p) { s += " " }
            s += w
            prev = w
        }
        return s
    }

    public var description: String {
        "word tokenizer: \(vocabSize) tokens (\(vocabulary.dropFirst(4).prefix(8).joined(separator: " "))\(vocabSize > 12 ? " …" : ""))"
    }
}
