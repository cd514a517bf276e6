import Language
import NN

/// A tokenizer as a taalm value (word-level or byte-level BPE): encode, decode, the
/// readable tokens of a text and its token boundaries.
final class TokenizerValue: NativeObject {
    let tokenizer: TextTokenizer
    init(_ tokenizer: TextTokenizer) { self.tokenizer = tokenizer }

    var typeName: String { "tokenizer" }
    var kind: String { if case .word = tokenizer { "word" } else { "bpe" } }
    var doc: String {
        """
        A \(kind == "word" ? "word-level" : "byte-level BPE") tokenizer with \(tokenizer.vocabSize) tokens. Ids 0–3 are \
        <pad> <bos> <eos> <unk>.
        Members: \(memberNames.joined(separator: ", "))
        """
    }
    var memberNames: [String] { ["vocab_size", "kind", "vocab", "encode", "decode", "tokens", "show", "id", "token"] }
    var length: Int? { tokenizer.vocabSize }
    var shortSummary: String { "\(kind) tokenizer, \(tokenizer.vocabSize) tokens" }
    func display(_ ctx: DisplayContext) -> String { "<\(tokenizer.description)>" }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let t = tokenizer
        switch name {
        case "vocab_size": return .number(Double(t.vocabSize))
        case "kind": return .string(kind)
        case "vocab":
            return ModelArgs.strings(try ModelErrors.run("tokenizer.vocab") { () throws(NNError) in try t.tokenStrings(Array(0..<t.vocabSize)) })
        default: break
        }
        return methods[name].map { .native($0) }
    }

    private var methods: [String: NativeFunction] {
        let t = tokenizer
        func method(_ name: String, _ doc: String, _ params: [Param], _ body: @escaping NativeFunction.Body) -> (String, NativeFunction) {
            (name, NativeFunction("tokenizer.\(name)", doc: doc, params: params, body: body))
        }
        return Dictionary(uniqueKeysWithValues: [
            method("encode", "tok.encode(text) is the list of token ids of text (no <bos>/<eos>). With strict: true a word missing from the vocabulary is an error instead of <unk>.",
                   [Param("text"), Param("strict", default: .bool(false))]) { args, _ throws(NativeError) in
                let text = try ModelArgs.string(args[0], "tokenizer.encode: text")
                let ids = t.encode(text)
                if try ModelArgs.bool(args[1], "tokenizer.encode: strict"), let unknown = Self.unknownWord(t, text, ids) {
                    throw NativeError("tokenizer.encode: '\(unknown)' is not in the vocabulary",
                                      hint: "build the tokenizer from a corpus that contains it, or drop strict: to map it to <unk>")
                }
                return ModelArgs.ids(ids)
            },
            method("decode", "tok.decode(ids) is the text of a list (or tensor) of token ids.", [Param("ids")]) { args, _ throws(NativeError) in
                let ids = try ModelArgs.ids(args[0], "tokenizer.decode: ids")
                return .string(try ModelErrors.run("tokenizer.decode") { () throws(NNError) in try t.decode(ids) })
            },
            method("tokens", "tok.tokens(text) is the list of readable tokens of text (a leading space shows as ▁ in BPE).", [Param("text")]) { args, _ throws(NativeError) in
                let text = try ModelArgs.string(args[0], "tokenizer.tokens: text")
                return ModelArgs.strings(try ModelErrors.run("tokenizer.tokens") { () throws(NNError) in try t.tokenStrings(t.encode(text)) })
            },
            method("show", "tok.show(text) is text with its token boundaries marked: \"Alice|lives|in|Paris\".",
                   [Param("text"), Param("sep", default: .string("|"))]) { args, _ throws(NativeError) in
                let text = try ModelArgs.string(args[0], "tokenizer.show: text")
                return .string(t.display(text, separator: try ModelArgs.string(args[1], "tokenizer.show: sep")))
            },
            method("id", "tok.id(token) is the id of one token (an error when it is not in the vocabulary).", [Param("token")]) { args, _ throws(NativeError) in
                let s = try ModelArgs.string(args[0], "tokenizer.id: token")
                let ids = t.encode(s)
                guard ids.count == 1, ids[0] != SpecialToken.unk.id || s == "<unk>" else {
                    throw NativeError("tokenizer.id: '\(s)' is not one token of this vocabulary (it encodes to \(ids.count) id(s)\(ids.contains(SpecialToken.unk.id) ? ", with <unk>" : ""))",
                                      hint: "tok.tokens(text) shows how a text splits into tokens")
                }
                return .number(Double(ids[0]))
            },
            method("token", "tok.token(id) is the readable token with that id.", [Param("id")]) { args, _ throws(NativeError) in
                let i = try ModelArgs.int(args[0], "tokenizer.token: id")
                return .string(try ModelErrors.run("tokenizer.token") { () throws(NNError) in try t.tokenStrings([i])[0] })
            },
        ])
    }

    /// The first word of `text` that became `<unk>` (word tokenizers only).
    static func unknownWord(_ t: TextTokenizer, _ text: String, _ ids: [Int]) -> String? {
        guard case .word(let w) = t, ids.contains(SpecialToken.unk.id) else { return nil }
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
        return words.map(String.init).first { w.id(of: $0) == nil } ?? "<unk>"
    }
}
