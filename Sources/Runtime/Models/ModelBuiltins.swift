import Language
import NN
import TensorCore

/// The builtins that make tokenizers and models: word_tokenizer, bpe_tokenizer, lm,
/// save and load (fit and the optimizers live in their own files).
enum ModelBuiltins {
    static func all(_ state: RuntimeState) -> [NativeFunction] {
        [wordTokenizer, bpeTokenizer, lm, saveFn, loadFn, FitBuiltin.fit(state)] + OptimizerBuiltins.all
    }

    static func corpus(_ v: Value, _ name: String) throws(NativeError) -> [String] {
        let texts = try ModelArgs.texts(v, "\(name): corpus")
        guard texts.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            throw NativeError("\(name): the corpus is empty", hint: "give a string (one text per line) or a list of strings")
        }
        return texts
    }

    static var wordTokenizer: NativeFunction {
        NativeFunction("word_tokenizer", doc: """
            word_tokenizer(corpus, min_count: 1, max_vocab: nil, lowercase: false) builds a word-level tokenizer from \
            corpus (a string, one text per line, or a list of strings): words and single punctuation marks are tokens, the \
            most frequent first; ids 0–3 are <pad> <bos> <eos> <unk>. Readable tokens, for teaching.
            """, params: [Param("corpus"), Param("min_count", default: .number(1)), Param("max_vocab", default: .null),
                          Param("lowercase", default: .bool(false))]) { args, _ throws(NativeError) in
            let texts = try corpus(args[0], "word_tokenizer")
            let minCount = try ModelArgs.int(args[1], "word_tokenizer: min_count", min: 1)
            let maxVocab = try ModelArgs.optionalInt(args[2], "word_tokenizer: max_vocab", min: 5)
            let lower = try ModelArgs.bool(args[3], "word_tokenizer: lowercase")
            let t = try ModelErrors.run("word_tokenizer") { () throws(NNError) in
                try WordTokenizer(corpus: texts, minCount: minCount, maxVocab: maxVocab, lowercase: lower)
            }
            guard t.vocabSize > 4 else { throw NativeError("word_tokenizer: no word occurs \(minCount) time(s) in the corpus", hint: "lower min_count") }
            return .object(TokenizerValue(.word(t)))
        }
    }

    static var bpeTokenizer: NativeFunction {
        NativeFunction("bpe_tokenizer", doc: """
            bpe_tokenizer(corpus, vocab: 2000) trains a byte-level BPE tokenizer (GPT-2 style) on corpus until it has vocab \
            tokens (at least 260: 4 special + 256 bytes). Any text, any script, round-trips exactly.
            """, params: [Param("corpus"), Param("vocab", default: .number(2000))]) { args, _ throws(NativeError) in
            let texts = try corpus(args[0], "bpe_tokenizer")
            let vocab = try ModelArgs.int(args[1], "bpe_tokenizer: vocab", min: BPETokenizer.firstMergeId, max: 1 << 20)
            let t = try ModelErrors.run("bpe_tokenizer") { () throws(NNError) in try BPETokenizer(corpus: texts, vocabSize: vocab) }
            return .object(TokenizerValue(.bpe(t)))
        }
    }

    static var lm: NativeFunction {
        NativeFunction("lm", doc: """
            lm(tok, dim: 64, layers: 2, heads: 4, context: 64, mlp_ratio: 4, mlp: "gelu", norm: "layer", positions: \
            "learned", tied: false, dropout: 0, seed: 1) builds a decoder-only transformer language model (pre-norm, GPT-2 \
            style) for tokenizer tok (or a vocabulary size, for a model of token ids). norm: "layer" or "rms"; positions: \
            "learned" or "rotary"; mlp: "gelu" or "swiglu"; tied: the output layer reuses the token embeddings. The same \
            seed gives the same weights. Train it with fit(m, corpus); see ?m for its methods.
            """, params: [Param("tok"), Param("dim", default: .number(64)), Param("layers", default: .number(2)),
                          Param("heads", default: .number(4)), Param("context", default: .number(64)),
                          Param("mlp_ratio", default: .number(4)), Param("mlp", default: .string("gelu")),
                          Param("norm", default: .string("layer")), Param("positions", default: .string("learned")),
                          Param("tied", default: .bool(false)), Param("dropout", default: .number(0)),
                          Param("seed", default: .number(1))]) { args, ctx throws(NativeError) in
            var tokenizer: TextTokenizer? = nil
            let vocab: Int
            if case .object(let o) = args[0], let t = o as? TokenizerValue {
                tokenizer = t.tokenizer
                vocab = t.tokenizer.vocabSize
            } else if case .number = args[0] {
                vocab = try ModelArgs.int(args[0], "lm: vocabulary size", min: 1)
            } else {
                throw NativeError("lm: the first argument must be a tokenizer or a vocabulary size, not \(args[0].typeName)",
                                  hint: "let tok = word_tokenizer(corpus); let m = lm(tok)")
            }
            let config = TransformerConfig(
                vocabSize: vocab, dModel: try ModelArgs.int(args[1], "lm: dim"), layers: try ModelArgs.int(args[2], "lm: layers"),
                heads: try ModelArgs.int(args[3], "lm: heads"), context: try ModelArgs.int(args[4], "lm: context"),
                mlpRatio: try ModelArgs.double(args[5], "lm: mlp_ratio"),
                norm: try ModelArgs.choice(args[7], "lm: norm", [("layer", NormKind.layerNorm), ("rms", .rmsNorm)]),
                positions: try ModelArgs.choice(args[8], "lm: positions", [("learned", PositionKind.learned), ("rotary", .rotary)]),
                mlp: try ModelArgs.choice(args[6], "lm: mlp", [("gelu", MLPKind.gelu), ("swiglu", .swiglu)]),
                tiedEmbeddings: try ModelArgs.bool(args[9], "lm: tied"), dropout: try ModelArgs.double(args[10], "lm: dropout"))
            let seed = try ModelArgs.seed(args[11], "lm: seed")
            try ModelErrors.run("lm") { () throws(NNError) in try config.validate() }
            let size = estimatedParameters(config), limit = ctx.config.maxTensorElements
            guard size <= Double(limit) else {
                throw NativeError("lm: this configuration has about \(ModelArgs.count(Int(size))) parameters, above the interpreter's limit of \(ModelArgs.count(limit))",
                                  hint: "use a smaller dim, fewer layers or a smaller vocabulary")
            }
            let m = try ModelErrors.run("lm") { () throws(NNError) in try LanguageModel(config: config, tokenizer: tokenizer, seed: seed) }
            return ModelValue.wrap(m)
        }
    }

    /// The parameter count of a configuration, computed without allocating (as a Double: no overflow).
    static func estimatedParameters(_ c: TransformerConfig) -> Double {
        let d = Double(c.dModel), v = Double(c.vocabSize), h = Double(c.mlpHidden)
        let mlp = (c.mlp == .swiglu ? 3 : 2) * d * h
        let block = 4 * d * d + mlp + 8 * d + h
        return v * d * (c.tiedEmbeddings ? 1 : 2) + (c.positions == .learned ? Double(c.context) * d : 0) + Double(c.layers) * block + 2 * d
    }

    static func model(_ v: Value, _ what: String) throws(NativeError) -> LanguageModel {
        guard case .object(let o) = v, let m = o as? ModelValue else {
            throw NativeError("\(what) must be a model (made by lm or load), not \(v.typeName)")
        }
        return m.model
    }

    static func save(_ m: LanguageModel, _ path: Value, _ name: String) throws(NativeError) {
        let p = try ModelArgs.string(path, "\(name): path")
        guard !p.isEmpty else { throw NativeError("\(name): the path is empty") }
        try ModelErrors.run(name) { () throws(NNError) in try m.save(to: p) }
    }

    static var saveFn: NativeFunction {
        NativeFunction("save", doc: """
            save(m, path) writes model m to a safetensors file (weights as F32 tensors; configuration, tokenizer, \
            LoRA/adapters in its metadata), atomically. Readable by standard safetensors readers; load(path) reads it back.
            """, params: [Param("model"), Param("path")]) { args, _ throws(NativeError) in
            try save(try model(args[0], "save: model"), args[1], "save")
            return .null
        }
    }

    static var loadFn: NativeFunction {
        NativeFunction("load", doc: """
            load(path) reads a model saved with save(m, path), checking the file (header, offsets, dtypes, checksum) and \
            every tensor's shape against the stored configuration.
            """, params: [Param("path")]) { args, _ throws(NativeError) in
            let p = try ModelArgs.string(args[0], "load: path")
            return ModelValue.wrap(try ModelErrors.run("load") { () throws(NNError) in try LanguageModel.load(from: p) })
        }
    }
}
