/// The special tokens every taalm tokenizer has, at ids 0–3.
public enum SpecialToken: String, CaseIterable, Sendable {
    case pad = "<pad>", bos = "<bos>", eos = "<eos>", unk = "<unk>"
    public var id: Int {
        switch self { case .pad: return 0; case .bos: return 1; case .eos: return 2; case .unk: return 3 }
    }
}

/// What the models and the training loop need from a tokenizer.
public protocol Tokenizer: Sendable, CustomStringConvertible {
    /// Number of token ids (ids are 0..<vocabSize).
    var vocabSize: Int { get }
    /// Token ids of `text` (special tokens written literally, e.g. `<eos>`, become their ids).
    func encode(_ text: String) -> [Int]
    /// The text of `ids`; an id outside the vocabulary is an error.
    func decode(_ ids: [Int]) throws(NNError) -> String
    /// The readable form of each token (a leading space shown as `▁` for byte-level BPE).
    func tokenStrings(_ ids: [Int]) throws(NNError) -> [String]
}

extension Tokenizer {
    public var padId: Int { SpecialToken.pad.id }
    public var bosId: Int { SpecialToken.bos.id }
    public var eosId: Int { SpecialToken.eos.id }
    public var unkId: Int { SpecialToken.unk.id }

    /// `text` with its token boundaries marked, e.g. `Paris|▁is|▁the`.
    public func display(_ text: String, separator: String = "|") -> String {
        ((try? tokenStrings(encode(text))) ?? []).joined(separator: separator)
    }
}

/// Splits a string at special-token spellings (`<pad>`, `<bos>`, `<eos>`, `<unk>`):
/// returns plain text pieces and special ids in order.
enum SpecialSplit {
    enum Piece { case text(Substring), special(Int) }

    static func split(_ text: String) -> [Piece] {
        guard text.contains("<") else { return [.text(text[...])] }
        var out: [Piece] = []
        let rest = text[...]
        var plainStart = rest.startIndex
        var i = rest.startIndex
        while i < rest.endIndex {
            if rest[i] == "<", let sp = SpecialToken.allCases.first(where: { rest[i...].hasPrefix($0.rawValue) }) {
                if plainStart < i { out.append(.text(rest[plainStart..<i])) }
                out.append(.special(sp.id))
                i = rest.index(i, offsetBy: sp.rawValue.count)
                plainStart = i
            } else {
                i = rest.index(after: i)
            }
        }
        if plainStart < rest.endIndex { out.append(.text(rest[plainStart...])) }
        return out
    }
}

/// A tokenizer of either kind, as one value (what models and checkpoints hold).
public enum TextTokenizer: Tokenizer, Codable, Equatable {
    case word(WordTokenizer)
    case bpe(BPETokenizer)

    var base: any Tokenizer {
        switch self { case .word(let w): return w; case .bpe(let b): return b }
    }
    public var vocabSize: Int { base.vocabSize }
    public func encode(_ text: String) -> [Int] { base.encode(text) }
    public func decode(_ ids: [Int]) throws(NNError) -> String { try base.decode(ids) }
    public func tokenStrings(_ ids: [Int]) throws(NNError) -> [String] { try base.tokenStrings(ids) }
    public var description: String { base.description }
}
