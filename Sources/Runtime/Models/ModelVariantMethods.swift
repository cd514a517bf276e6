import Language
import NN
import TensorCore

/// Model methods that change what trains or what the model is: parameters, freezing,
/// LoRA, adapters, copies and checkpoints.
extension ModelMethods {
    nonisolated(unsafe) static let training: [String: Entry] = [
        "set_params": Entry(doc: """
            m.set_params(p) replaces the model's parameters with those of p, a record path → tensor like m.params (all of \
            them or some). Paths must exist and shapes must match. Same as m.params = p.
            """, params: [Param("params")]) { v, args, _ throws(NativeError) in
            try v.setParams(args[0], "lm.set_params")
            return .null
        },
        "freeze": Entry(doc: """
            m.freeze(pattern) stops training the parameters whose paths match pattern (a glob: * is one path component, ** \
            any number; a prefix matches its subtree), e.g. m.freeze("blocks.0") or m.freeze(["embed", "blocks.*.attn"]). \
            Returns the number of tensors now frozen.
            """, params: [Param("pattern")]) { v, args, _ throws(NativeError) in
            let m = v.model
            let pats = try ModelArgs.patterns(args[0], "lm.freeze: pattern")
            for p in pats where !m.params.paths.contains(where: { PathPattern.matches(p, $0) }) {
                throw NativeError("lm.freeze: no parameter path matches \"\(p)\"",
                                  hint: "paths look like \(m.params.paths.prefix(3).joined(separator: ", ")); m.shapes lists them all")
            }
            m.freeze(pats)
            return .number(Double(m.params.paths.filter { !m.isTrainable($0) }.count))
        },
        "unfreeze": Entry(doc: "m.unfreeze() trains every parameter again (LoRA/adapter restrictions stay).", params: []) { v, _, _ throws(NativeError) in
            v.model.unfreezeAll()
            return .null
        },
        "copy": Entry(doc: "m.copy() is an independent model with the same configuration, tokenizer and parameter values.", params: []) { v, _, _ throws(NativeError) in
            let m = v.model
            let c = try run("copy") { () throws(NNError) in
                try LanguageModel(config: m.config, tokenizer: m.tokenizer, params: m.params.copied(), lora: m.lora, adapters: m.adapters)
            }
            c.frozen = m.frozen
            c.trainableOnly = m.trainableOnly
            return ModelValue.wrap(c)
        },
        "save": Entry(doc: """
            m.save(path) writes the model (weights, configuration, tokenizer, LoRA/adapters, frozen paths) to a safetensors \
            file, atomically. load(path) reads it back.
            """, params: [Param("path")]) { v, args, _ throws(NativeError) in
            try ModelBuiltins.save(v.model, args[0], "lm.save")
            return .null
        },
    ]

    nonisolated(unsafe) static let variants: [String: Entry] = [
        "add_lora": Entry(doc: """
            m.add_lora(rank: 4, alpha: rank, targets: ["blocks.*.attn.wq", "blocks.*.attn.wv"], seed: 0) adds low-rank \
            factors A [in, rank] and B [rank, out] (B = 0, so outputs do not change) to the matching linear layers, adding \
            (x A) B · alpha/rank to them; from then on only the factors train.
            """, params: [Param("rank", default: .number(4)), Param("alpha", default: .null), Param("targets", default: .null),
                          Param("seed", default: .number(0))]) { v, args, _ throws(NativeError) in
            let rank = try ModelArgs.int(args[0], "lm.add_lora: rank", min: 1)
            let alpha = try ModelArgs.optionalDouble(args[1], "lm.add_lora: alpha")
            let targets = args[2].isNil ? ["blocks.*.attn.wq", "blocks.*.attn.wv"] : try ModelArgs.patterns(args[2], "lm.add_lora: targets")
            let seed = try ModelArgs.seed(args[3], "lm.add_lora: seed")
            try run("add_lora") { () throws(NNError) in try v.model.addLoRA(rank: rank, alpha: alpha, targets: targets, seed: seed) }
            return .null
        },
        "merge_lora": Entry(doc: "m.merge_lora() folds the LoRA update into the base weights (W += A B · alpha/rank); outputs stay the same. m.unmerge_lora() takes it back out.",
                            params: []) { v, _, _ throws(NativeError) in
            try run("merge_lora") { () throws(NNError) in try v.model.mergeLoRA() }
            return .null
        },
        "unmerge_lora": Entry(doc: "m.unmerge_lora() takes a merged LoRA update back out of the base weights.", params: []) { v, _, _ throws(NativeError) in
            try run("unmerge_lora") { () throws(NNError) in try v.model.unmergeLoRA() }
            return .null
        },
        "add_adapters": Entry(doc: """
            m.add_adapters(layers: [0, 1], dim: 16, heads: 1, seed: 0) adds K-Adapter-style adapters: small transformer \
            blocks reading the outputs of the given base layers, added to the final hidden state. They start as a no-op \
            (zero up-projection) and from then on only they train.
            """, params: [Param("layers", default: .null), Param("dim", default: .number(16)), Param("heads", default: .number(1)),
                          Param("seed", default: .number(0))]) { v, args, _ throws(NativeError) in
            let m = v.model
            let layers = args[0].isNil ? Array(0..<m.config.layers) : try ModelArgs.ids(args[0], "lm.add_adapters: layers")
            let dim = try ModelArgs.int(args[1], "lm.add_adapters: dim", min: 1)
            let heads = try ModelArgs.int(args[2], "lm.add_adapters: heads", min: 1)
            let seed = try ModelArgs.seed(args[3], "lm.add_adapters: seed")
            try run("add_adapters") { () throws(NNError) in try m.addAdapters(layers: layers, dim: dim, heads: heads, seed: seed) }
            return .null
        },
    ]
}
