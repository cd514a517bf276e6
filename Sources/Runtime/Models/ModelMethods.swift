import Foundation
import Language
import NN
import TensorCore

/// The methods of a model value (`m.loss(...)`, `m.generate(...)`, ...), each with its
/// documentation for `?m.name`.
enum ModelMethods {
    typealias Body = (ModelValue, Arguments, CallContext) throws(NativeError) -> Value
    struct Entry { let doc: String; let params: [Param]; let body: Body }

    static var names: [String] { order }
    static let order = ["loss", "logits", "nll", "generate", "perplexity", "accuracy", "set_params", "freeze", "unfreeze",
                        "add_lora", "merge_lora", "unmerge_lora", "add_adapters", "copy", "save"]

    static func method(_ name: String, _ value: ModelValue) -> NativeFunction? {
        guard let e = entries[name] else { return nil }
        return NativeFunction("lm.\(name)", doc: e.doc, params: e.params) { args, ctx throws(NativeError) in
            try e.body(value, args, ctx)
        }
    }

    static func run<T>(_ name: String, _ body: () throws(NNError) -> T) throws(NativeError) -> T {
        try ModelErrors.run("lm.\(name)", body)
    }

    nonisolated(unsafe) static let entries: [String: Entry] = inference.merging(training) { a, _ in a }.merging(variants) { a, _ in a }

    nonisolated(unsafe) static let inference: [String: Entry] = [
        "loss": Entry(doc: """
            m.loss(texts, params: p) is the mean next-token cross-entropy over the real tokens of texts (a string, a list of \
            strings, or token-id lists), as a scalar tensor. With params: (a record like m.params, whole or partial) it is \
            computed at those parameters and is differentiable in them: value_and_grad(fn(p) { m.loss(texts, params: p) })(m.params).
            """, params: [Param("texts"), Param("params", default: .null)]) { v, args, _ throws(NativeError) in
            let m = v.model
            let batch = try ModelInputs.batch(m, args[0], "lm.loss")
            let p = args[1].isNil ? m.params : try ParamsRecord.merged(m, args[1], "lm.loss: params")
            return TensorValue.wrap(try run("loss") { () throws(NNError) in try m.loss(params: p, batch: batch) })
        },
        "logits": Entry(doc: """
            m.logits(text, params: p) is the [tokens, vocab] tensor of next-token logits after <bos> and each token of text \
            (or of a list of token ids), differentiable in params when given.
            """, params: [Param("text"), Param("params", default: .null)]) { v, args, _ throws(NativeError) in
            let m = v.model
            var ids: [Int]
            if case .string(let s) = args[0] { ids = try ModelInputs.encode(m, s, eos: false, "lm.logits") } else { ids = try ModelArgs.ids(args[0], "lm.logits: text") }
            try ModelInputs.checkIds(m, ids, "lm.logits")
            guard !ids.isEmpty, ids.count <= m.config.context else {
                throw NativeError("lm.logits: the sequence has \(ids.count) tokens; it must have 1...\(m.config.context) (the context)")
            }
            let p = args[1].isNil ? m.params : try ParamsRecord.merged(m, args[1], "lm.logits: params")
            return TensorValue.wrap(try ModelErrors.any("lm.logits") {
                let tokens = try IndexTensor(shape: [1, ids.count], values: ids.map { Int32($0) })
                let lg = try m.logits(params: p, tokens: tokens)
                return try reshape(lg, [ids.count, m.config.vocabSize])
            })
        },
        "nll": Entry(doc: """
            m.nll(text, params: p) is the tensor of per-token losses −log p(token | the tokens before it), one for each \
            token of tok.tokens(text) and one for the final <eos>. High values mark what the model finds surprising. With \
            params: (a record like m.params) it is computed at those parameters and is differentiable in them.
            """, params: [Param("text"), Param("params", default: .null)]) { v, args, _ throws(NativeError) in
            let m = v.model
            let text = try ModelArgs.string(args[0], "lm.nll: text")
            if args[1].isNil {
                _ = try ModelInputs.tokenizer(m, "lm.nll")
                return TensorValue.wrap(try run("nll") { () throws(NNError) in try m.nll(text) })
            }
            let p = try ParamsRecord.merged(m, args[1], "lm.nll: params")
            let seq = try ModelInputs.encode(m, text, "lm.nll")
            guard seq.count - 1 <= m.config.context else {
                throw NativeError("lm.nll: the text has \(seq.count) tokens, more than the context \(m.config.context) + 1", hint: "with params:, score texts that fit the context")
            }
            return TensorValue.wrap(try run("nll") { () throws(NNError) in
                let batch = try TokenBatch(sequences: [seq], padId: 0, maxLength: m.config.context)
                return try nn { try reshape(m.tokenLosses(params: p, batch: batch), [batch.length]) }
            })
        },
        "generate": Entry(doc: """
            m.generate(prompt, tokens: 20, temperature: 0, top_k: nil, seed: 0, stop: true) continues prompt by up to \
            tokens tokens and returns only the new text. temperature 0 is greedy (the most likely token each time); above 0 \
            it samples (seeded), among the top_k most likely tokens when given. With stop: true generation ends at <eos>. \
            A list of token ids as prompt gives a list of ids.
            """, params: [Param("prompt"), Param("tokens", default: .number(20)), Param("temperature", default: .number(0)),
                          Param("top_k", default: .null), Param("seed", default: .number(0)),
                          Param("stop", default: .bool(true))]) { v, args, _ throws(NativeError) in
            let m = v.model
            let n = try ModelArgs.int(args[1], "lm.generate: tokens", min: 0, max: 100_000)
            let temp = try ModelArgs.double(args[2], "lm.generate: temperature")
            guard temp >= 0 else { throw NativeError("lm.generate: temperature must be ≥ 0, got \(ValueText.number(temp))") }
            let opts = GenerationOptions(maxTokens: n, temperature: temp, topK: try ModelArgs.optionalInt(args[3], "lm.generate: top_k", min: 1),
                                         seed: try ModelArgs.seed(args[4], "lm.generate: seed"),
                                         stopAtEOS: try ModelArgs.bool(args[5], "lm.generate: stop"))
            if case .string(let prompt) = args[0] {
                _ = try ModelInputs.tokenizer(m, "lm.generate")
                return .string(try run("generate") { () throws(NNError) in try m.generate(prompt, options: opts) })
            }
            let ids = try ModelArgs.ids(args[0], "lm.generate: prompt")
            return ModelArgs.ids(try run("generate") { () throws(NNError) in try m.generate(prompt: ids, options: opts) })
        },
        "perplexity": Entry(doc: "m.perplexity(texts) is exp(mean per-token loss) over texts (a string or a list of strings): 1 is perfect, vocab_size is guessing.",
                            params: [Param("texts")]) { v, args, _ throws(NativeError) in
            let m = v.model
            let seqs = try ModelInputs.sequences(m, args[0], "lm.perplexity")
            let all = try run("perplexity") { () throws(NNError) in try m.score(seqs).flatMap(\.nll) }
            guard !all.isEmpty else { throw NativeError("lm.perplexity: no tokens to score") }
            return .number(Foundation.exp(all.reduce(0.0) { $0 + Double($1) } / Double(all.count)))
        },
        "accuracy": Entry(doc: """
            m.accuracy(texts, answers) is the teacher-forced accuracy on the answers (the LAMA-ckl metric): for each text, \
            the fraction of its answer's tokens that the model predicts exactly (argmax) from the tokens before, averaged \
            over texts. An answer is a string found in its text ("Paris" in "Alice lives in Paris .") or [start, stop] \
            token positions of tok.tokens(text). each: true returns the list of per-text accuracies.
            """, params: [Param("texts"), Param("answers"), Param("each", default: .bool(false))]) { v, args, _ throws(NativeError) in
            let m = v.model
            let texts = try ModelArgs.texts(args[0], "lm.accuracy: texts")
            let answers: [Value]
            if case .list(let l) = args[1] { answers = l.items } else if case .string = args[1], texts.count == 1 { answers = [args[1]] } else {
                throw NativeError("lm.accuracy: answers must be a list with one answer per text")
            }
            guard texts.count == answers.count, !texts.isEmpty else {
                throw NativeError("lm.accuracy: \(texts.count) text(s) but \(answers.count) answer(s)", hint: "give one answer per text")
            }
            var seqs: [[Int]] = [], spans: [Range<Int>] = []
            for (text, a) in zip(texts, answers) {
                let (s, sp) = try ModelInputs.span(m, text, a, "lm.accuracy")
                seqs.append(s); spans.append(sp)
            }
            let acc = try run("accuracy") { () throws(NNError) in try m.spanAccuracy(seqs, spans: spans) }
            if try ModelArgs.bool(args[2], "lm.accuracy: each") { return .list(ListBox(acc.map { .number($0) })) }
            return .number(acc.reduce(0, +) / Double(acc.count))
        },
    ]
}
