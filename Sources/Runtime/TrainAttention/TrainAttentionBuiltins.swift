import Language
import NN
import TensorCore
import TrainAttention

/// train_attention, meta_train, meta_grad and load_train_attention.
enum TrainAttentionBuiltins {
    static func all(_ state: RuntimeState) -> [NativeFunction] { [create(state), metaTrain(state), metaGrad(state), load(state)] }

    static func ta(_ v: Value, _ what: String) throws(NativeError) -> TrainAttentionValue {
        guard case .object(let o) = v, let t = o as? TrainAttentionValue else {
            throw NativeError("\(what) must be a Train-Attention model (from train_attention(lm)), not \(v.typeName)")
        }
        return t
    }

    static func create(_ state: RuntimeState) -> NativeFunction {
        NativeFunction("train_attention", doc: """
            train_attention(lm, dim: 64, layers: 2, heads: 4, context: nil, positions: "learned", from_lm: false, seed: 1) \
            makes Train-Attention φ for base model lm: a causal transformer body (context defaults to lm's + 1) with a \
            `hidden → 1` head whose bias starts at 4.0, so every weight starts near 0.98. from_lm: true copies lm's body \
            (same shape as lm) as the starting point.
            """, params: [Param("lm"), Param("dim", default: .number(64)), Param("layers", default: .number(2)), Param("heads", default: .number(4)),
                          Param("context", default: .null), Param("positions", default: .string("learned")),
                          Param("from_lm", default: .bool(false)), Param("seed", default: .number(1))]) { args, _ throws(NativeError) in
            let lm = try ModelBuiltins.model(args[0], "train_attention: lm")
            let seed = try ModelArgs.seed(args[7], "train_attention: seed")
            if try ModelArgs.bool(args[6], "train_attention: from_lm") {
                let m = try ModelErrors.run("train_attention") { () throws(NNError) in try TrainAttentionModel(initialisedFrom: lm, seed: seed) }
                return .object(TrainAttentionValue(m, base: lm, frontend: state.frontend))
            }
            let context = try ModelArgs.optionalInt(args[4], "train_attention: context", min: 2) ?? lm.config.context + 1
            let positions = try ModelArgs.choice(args[5], "train_attention: positions", [("learned", PositionKind.learned), ("rotary", .rotary)])
            let config = TransformerConfig(vocabSize: lm.config.vocabSize, dModel: try ModelArgs.int(args[1], "train_attention: dim", min: 1),
                                           layers: try ModelArgs.int(args[2], "train_attention: layers", min: 1),
                                           heads: try ModelArgs.int(args[3], "train_attention: heads", min: 1), context: context, positions: positions)
            let m = try ModelErrors.run("train_attention") { () throws(NNError) in try TrainAttentionModel(config: config, seed: seed) }
            return .object(TrainAttentionValue(m, base: lm, frontend: state.frontend))
        }
    }

    static func metaTrain(_ state: RuntimeState) -> NativeFunction {
        NativeFunction("meta_train", doc: """
            meta_train(ta, lm, examples, held_out: nil, steps: 300, units_per_step: 16, inner: "sgd", inner_lr: 0.03, \
            engine: "forward", batching: "per-document", lr: 1e-3, weight_decay: 0.01, eval_every: 50, validation_epochs: 0, \
            seed: 0, progress: true) meta-trains φ in place. Each step: for each example θ restarts, takes one inner step \
            (sgd, or "adamw" with a warm-up step) on the document weighted by φ, and the task's object NLL at θ' is the \
            meta-loss; φ's gradient (engine "forward": one JVP; "second-order": reverse through the step) is averaged and \
            AdamW updates φ. Examples are {document, task, object} records or benchmark units; held_out ones are evaluated \
            every eval_every steps (validation_epochs > 0 also trains θ on them with φ's weights and measures task \
            accuracy). Returns a meta_result; Ctrl-C stops after the current step with φ intact.
            """, params: [Param("ta"), Param("lm"), Param("examples"), Param("held_out", default: .null), Param("steps", default: .number(300)),
                          Param("units_per_step", default: .number(16)), Param("inner", default: .string("sgd")),
                          Param("inner_lr", default: .number(0.03)), Param("engine", default: .string("forward")),
                          Param("batching", default: .string("per-document")), Param("lr", default: .number(1e-3)),
                          Param("weight_decay", default: .number(0.01)), Param("eval_every", default: .number(50)),
                          Param("validation_epochs", default: .number(0)), Param("seed", default: .number(0)),
                          Param("progress", default: .bool(true))]) { args, ctx throws(NativeError) in
            let t = try ta(args[0], "meta_train: ta")
            let lm = try ModelBuiltins.model(args[1], "meta_train: lm")
            let examples = try MetaExamples.list(lm, args[2], "meta_train: examples", ctx)
            let heldOut = args[3].isNil ? Array(examples.suffix(min(16, examples.count))) : try MetaExamples.list(lm, args[3], "meta_train: held_out", ctx)
            var config = MetaTrainingConfig()
            config.steps = try ModelArgs.int(args[4], "meta_train: steps", min: 1)
            config.unitsPerStep = try ModelArgs.int(args[5], "meta_train: units_per_step", min: 1)
            let innerLR = Float(try ModelArgs.double(args[7], "meta_train: inner_lr"))
            guard innerLR > 0, innerLR.isFinite else { throw NativeError("meta_train: inner_lr must be a positive number") }
            config.inner = try ModelArgs.choice(args[6], "meta_train: inner", [("sgd", InnerStep.sgd(lr: innerLR)), ("adamw", .adamw(lr: innerLR))])
            config.engine = try ModelArgs.choice(args[8], "meta_train: engine", MetaEngine.allCases.map { ($0.rawValue, $0) })
            config.batching = try ModelArgs.choice(args[9], "meta_train: batching", InnerBatching.allCases.map { ($0.rawValue, $0) })
            config.outer = .adamw(lr: try ModelArgs.double(args[10], "meta_train: lr"), weightDecay: try ModelArgs.double(args[11], "meta_train: weight_decay"))
            config.evalEvery = try ModelArgs.int(args[12], "meta_train: eval_every", min: 1)
            let epochs = try ModelArgs.int(args[13], "meta_train: validation_epochs", min: 0)
            config.seed = try ModelArgs.seed(args[14], "meta_train: seed")
            if epochs > 0 { config.validation = WeightedTraining(epochs: epochs, seed: config.seed) }
            let bar: ProgressSink? = try ModelArgs.bool(args[15], "meta_train: progress")
                ? state.frontend.progressSink(label: "meta_train", total: config.steps, unit: "step") : nil
            let result = try ModelErrors.run("meta_train") { () throws(NNError) in
                let trainer = try MetaTrainer(lm: lm, ta: t.model, config: config)
                return try trainer.train(examples, heldOut: heldOut) { step, total, loss in
                    bar?.update(done: step, total: total, fields: [("meta-loss", ModelArgs.fixed(loss))])
                }
            }
            var fields: [(String, String)] = []
            if let a = result.evaluations.first, let b = result.evaluations.last {
                fields.append(("object share", "\(ModelArgs.fixed(a.agreement.objectShare, 3)) → \(ModelArgs.fixed(b.agreement.objectShare, 3))"))
            }
            if result.interrupted { fields.append(("interrupted", "yes")) }
            bar?.finish(fields: fields)
            return .object(MetaResultValue(result, tokenizer: lm.tokenizer))
        }
    }

    static func metaGrad(_ state: RuntimeState) -> NativeFunction {
        NativeFunction("meta_grad", doc: """
            meta_grad(ta, lm, example, lr: 0.03, show: true): the per-token meta-gradients d_i = ⟨g, ∇θ ℓ_i⟩ of one example, \
            where g is the gradient of the task's loss after one SGD step on the document weighted by φ: how much token i's \
            own update would help the task (positive: it helps). Shown token-aligned beside φ's current weights and the \
            oracle; returns {tokens, weights, meta_grad, oracle}.
            """, params: [Param("ta"), Param("lm"), Param("example"), Param("lr", default: .number(0.03)),
                          Param("show", default: .bool(true))]) { args, ctx throws(NativeError) in
            let t = try ta(args[0], "meta_grad: ta")
            let lm = try ModelBuiltins.model(args[1], "meta_grad: lm")
            guard let ex = try MetaExamples.list(lm, args[2], "meta_grad: example", ctx).first else {
                throw NativeError("meta_grad: give one example")
            }
            let lr = Float(try ModelArgs.double(args[3], "meta_grad: lr"))
            let (d, w) = try ModelErrors.run("meta_grad") { () throws(NNError) -> ([Float], [Float]) in
                let step = MetaStep(lm: lm, ta: t.model, engine: .forward, inner: .sgd(lr: lr))
                return (try step.tokenMetaGradients(ex, lr: lr), try t.model.documentWeights([ex])[0])
            }
            var oracle = [Float](repeating: 0, count: d.count)
            for r in ex.documentObject { for pos in r where pos >= 1 && pos - 1 < oracle.count { oracle[pos - 1] = 1 } }
            let ids = Array(ex.document.dropFirst().prefix(d.count))
            if try ModelArgs.bool(args[4], "meta_grad: show") {
                let view = TokenViews.comparison(lm.tokenizer, ids, [("φ weights", w, true), ("meta-grad", d, false), ("oracle", oracle, true)],
                                                 title: "meta-gradients: how much each token's own update helps the task")
                state.frontend.display(view, ctx)
            }
            return .record(RecordBox([("tokens", ModelArgs.strings(TokenViews.strings(lm.tokenizer, ids))),
                                      ("weights", ModelArgs.numbers(w)), ("meta_grad", ModelArgs.numbers(d)), ("oracle", ModelArgs.numbers(oracle))]))
        }
    }

    static func load(_ state: RuntimeState) -> NativeFunction {
        NativeFunction("load_train_attention", doc: "load_train_attention(path, lm) reads a φ written by ta.save(path), for base model lm.",
                       params: [Param("path"), Param("lm")]) { args, _ throws(NativeError) in
            let path = try ModelArgs.string(args[0], "load_train_attention: path")
            let lm = try ModelBuiltins.model(args[1], "load_train_attention: lm")
            let m = try ModelErrors.run("load_train_attention") { () throws(NNError) in try TrainAttentionModel.load(from: path) }
            guard m.config.vocabSize == lm.config.vocabSize else {
                throw NativeError("load_train_attention: this φ reads a vocabulary of \(m.config.vocabSize), the model's is \(lm.config.vocabSize)")
            }
            return .object(TrainAttentionValue(m, base: lm, frontend: state.frontend))
        }
    }
}
