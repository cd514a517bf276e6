import Language
import NN
import TensorCore
import TrainAttention

/// Train-Attention φ as a taalm value: weights(doc) shows which tokens it would train on,
/// agreement(examples) measures it against the oracle, save(path) writes it.
final class TrainAttentionValue: NativeObject, TokenWeightingValue {
    let model: TrainAttentionModel
    /// The base model it weights for (its tokenizer reads documents).
    let base: LanguageModel
    /// Where `weights(doc)` shows its heatmap (a notebook's rich output); nil = the terminal text.
    let frontend: Frontend?

    init(_ model: TrainAttentionModel, base: LanguageModel, frontend: Frontend? = nil) {
        self.model = model
        self.base = base
        self.frontend = frontend
    }

    /// As a CKL weighting: φ, frozen, gives the weights (the TAALM method).
    var tokenWeighting: any TokenWeighting { TrainAttentionWeighting(model) }

    var typeName: String { "train_attention" }
    var doc: String {
        """
        Train-Attention φ: a small causal transformer whose `hidden → 1` head, through a sigmoid, gives each token's weight \
        in the base model's loss (head bias 4.0 at the start: every weight ≈ 0.98, like plain fine-tuning). \
        Properties: config, params, param_count. Methods: \(Self.methods.joined(separator: ", ")).
        """
    }
    static let methods = ["weights", "agreement", "save"]
    var memberNames: [String] { ["config", "params", "param_count"] + Self.methods }
    var shortSummary: String { "train_attention \(model.config.layers)×\(model.config.dModel), \(ModelArgs.count(model.parameterCount)) params" }

    func display(_ ctx: DisplayContext) -> String {
        let c = model.config
        return "train_attention: \(c.layers) layer(s), dim \(c.dModel), \(c.heads) head(s), context \(c.context), vocab \(c.vocabSize)\n"
            + "  parameters: \(model.parameterCount) (\(ModelArgs.count(model.parameterCount))); weight = sigmoid(head(hidden)) at each token"
    }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "config":
            let c = model.config
            return .record(RecordBox([("dim", .number(Double(c.dModel))), ("layers", .number(Double(c.layers))),
                                      ("heads", .number(Double(c.heads))), ("context", .number(Double(c.context))),
                                      ("vocab", .number(Double(c.vocabSize))), ("positions", .string(c.positions.rawValue))]))
        case "params": return ParamsRecord.value(model.params)
        case "param_count": return .number(Double(model.parameterCount))
        case "weights": return .native(weightsMethod)
        case "agreement": return .native(agreementMethod)
        case "save": return .native(saveMethod)
        default: return nil
        }
    }

    var weightsMethod: NativeFunction {
        NativeFunction("weights", doc: """
            ta.weights(doc, show: true, numbers: false, params: nil) shows the document with each token coloured by φ's \
            weight (a terminal heatmap; numbers: true prints each weight) and returns the weights as a tensor, one per token \
            after <bos> (like m.nll(doc); the weight of token i is read at token i's own position). With params: (a record \
            like ta.params) the weights are computed at those parameters and are differentiable in them.
            """, params: [Param("doc"), Param("show", default: .bool(true)), Param("numbers", default: .bool(false)),
                          Param("params", default: .null)]) { [self] args, ctx throws(NativeError) in
            let text = try ModelArgs.string(args[0], "weights: doc")
            let ids = try ModelInputs.encode(base, text, "weights")
            guard ids.count <= model.config.context else {
                throw NativeError("weights: the document has \(ids.count) tokens, more than Train-Attention's context \(model.config.context)")
            }
            let phi: ParameterSet
            if args[3].isNil { phi = model.params } else {
                let given = try ParamsRecord.set(args[3], "weights: params")
                phi = try ModelErrors.run("weights") { () throws(NNError) in try model.params.applying(given) }
            }
            let tensor = try ModelErrors.run("weights") { () throws(NNError) -> Tensor in
                let batch = try TokenBatch(sequences: [ids], padId: 0, maxLength: model.config.context - 1)
                return try nn { try reshape(model.weights(params: phi, batch: batch), [batch.length]) }
            }
            let w = tensor.scalars
            if try ModelArgs.bool(args[1], "weights: show") {
                let view = TokenViews.single(base.tokenizer, Array(ids.dropFirst().prefix(w.count)), w, label: "weights", fixedUnit: true)
                let numbers = try ModelArgs.bool(args[2], "weights: numbers")
                if let frontend, frontend.richOutput != nil {
                    frontend.display(view, ctx) // hover a token for its value
                } else {
                    var dc = ctx.displayContext
                    if numbers { dc.color = false }
                    ctx.write(view.display(dc) + "\n")
                }
            }
            return TensorValue.wrap(tensor)
        }
    }

    var agreementMethod: NativeFunction {
        NativeFunction("agreement", doc: """
            ta.agreement(examples, k: nil) measures φ against the oracle over META examples ({document, task, object} \
            records or benchmark units): the share of weight on object tokens, and precision/recall of the top-k weighted \
            tokens (k = the number of object tokens unless given).
            """, params: [Param("examples"), Param("k", default: .null)]) { [self] args, ctx throws(NativeError) in
            let examples = try MetaExamples.list(base, args[0], "agreement: examples", ctx)
            let k = try ModelArgs.optionalInt(args[1], "agreement: k", min: 1)
            let a = try ModelErrors.run("agreement") { () throws(NNError) in try model.agreement(examples, k: k) }
            return MetaResultValue.record(a)
        }
    }

    var saveMethod: NativeFunction {
        NativeFunction("save", doc: "ta.save(path) writes φ and its config as a safetensors file (atomically).",
                       params: [Param("path")]) { [self] args, _ throws(NativeError) in
            let path = try ModelArgs.string(args[0], "save: path")
            try ModelErrors.run("save") { () throws(NNError) in try model.save(to: path) }
            return .null
        }
    }
}
