import Foundation
import Language
import NN
import TensorCore

/// Turning what a user passes to a model method (texts, token-id lists, answers) into
/// token sequences, batches and spans.
enum ModelInputs {
    static func tokenizer(_ m: LanguageModel, _ what: String) throws(NativeError) -> TextTokenizer {
        guard let t = m.tokenizer else {
            throw NativeError("\(what): this model has no tokenizer, so it cannot read text", hint: "pass token ids instead, or build it with lm(tok, ...)")
        }
        return t
    }

    /// `<bos>` text `<eos>` as ids.
    static func encode(_ m: LanguageModel, _ text: String, eos: Bool = true, _ what: String) throws(NativeError) -> [Int] {
        let t = try tokenizer(m, what)
        return [t.bosId] + t.encode(text) + (eos ? [t.eosId] : [])
    }

    static func checkIds(_ m: LanguageModel, _ ids: [Int], _ what: String) throws(NativeError) {
        for v in ids where v < 0 || v >= m.config.vocabSize {
            throw NativeError("\(what): token id \(v) is outside the vocabulary 0..<\(m.config.vocabSize)")
        }
    }

    /// Token sequences from a text, a list of texts, a list of ids, or a list of id lists
    /// (texts get `<bos>`/`<eos>`; ids are used as given).
    static func sequences(_ m: LanguageModel, _ v: Value, _ what: String) throws(NativeError) -> [[Int]] {
        var out: [[Int]] = []
        if ModelArgs.isIdBatch(v), case .list(let l) = v {
            for (i, item) in l.items.enumerated() { out.append(try ModelArgs.ids(item, "\(what)[\(i)]")) }
        } else if TensorConvert.tensor(v) != nil {
            out = [try ModelArgs.ids(v, what)]
        } else if case .list(let l) = v, let first = l.items.first, case .number = first {
            out = [try ModelArgs.ids(v, what)]
        } else {
            for text in try ModelArgs.texts(v, what) { out.append(try encode(m, text, what)) }
        }
        guard !out.isEmpty else { throw NativeError("\(what): no texts given") }
        for s in out { try checkIds(m, s, what) }
        return out
    }

    /// A padded batch of context-sized windows of the sequences.
    static func batch(_ m: LanguageModel, _ v: Value, _ what: String) throws(NativeError) -> TokenBatch {
        let windows = try sequences(m, v, what).flatMap { TokenBatch.windows($0, context: m.config.context) }
        guard !windows.isEmpty else { throw NativeError("\(what): every sequence needs at least 2 tokens (a text gets <bos> and <eos>)") }
        return try ModelErrors.run(what) { () throws(NNError) in
            try TokenBatch(sequences: windows, padId: SpecialToken.pad.id, maxLength: m.config.context)
        }
    }

    /// The span of `answer` inside `text`, as positions of the sequence `<bos>` text `<eos>`:
    /// the answer's last occurrence, with the whitespace before it (BPE glues a leading
    /// space to the next word). `answer` may also be `[start, stop]` token positions of
    /// `tok.tokens(text)`.
    static func span(_ m: LanguageModel, _ text: String, _ answer: Value, _ what: String) throws(NativeError) -> (seq: [Int], span: Range<Int>) {
        let t = try tokenizer(m, what)
        let seq = [t.bosId] + t.encode(text) + [t.eosId]
        if case .list(let l) = answer {
            guard l.items.count == 2 else { throw NativeError("\(what): a span is [start, stop], got \(ValueText.repr(answer))") }
            let n = seq.count - 2
            let a = try ModelArgs.int(l.items[0], "\(what): span start", min: 0), b = try ModelArgs.int(l.items[1], "\(what): span stop", min: 0)
            guard a < b, b <= n else {
                throw NativeError("\(what): span [\(a), \(b)] must be non-empty and within the text's \(n) tokens",
                                  hint: "positions index tok.tokens(text), from 0")
            }
            return (seq, (a + 1)..<(b + 1))
        }
        let ans = try ModelArgs.string(answer, "\(what): answer")
        guard !ans.isEmpty, let r = text.range(of: ans, options: .backwards) else {
            throw NativeError("\(what): the answer \"\(ans)\" does not occur in \"\(text)\"", hint: "each answer must be part of its text")
        }
        var start = r.lowerBound
        while start > text.startIndex, text[text.index(before: start)].isWhitespace { start = text.index(before: start) }
        let before = t.encode(String(text[..<start])), through = t.encode(String(text[..<r.upperBound]))
        let body = Array(seq.dropFirst())
        guard through.count > before.count, Array(through.prefix(before.count)) == before, Array(body.prefix(through.count)) == through else {
            throw NativeError("\(what): the answer \"\(ans)\" does not start and end at token boundaries of \"\(text)\"",
                              hint: "give its span as [start, stop] positions of tok.tokens(text)")
        }
        return (seq, (before.count + 1)..<(through.count + 1))
    }
}
