import CKL
import Language
import NN
import TensorCore

/// A language model as a taalm value. It is a reference: `fit`, `opt.step`, `add_lora`
/// and `m.params = p` change the model every binding sees. Methods live in ModelMethods.
final class ModelValue: NativeObject {
    let model: LanguageModel
    /// How `pretrain` made it (nil for other models): its curve and pre-test levels.
    let pretraining: PretrainResult?
    init(_ model: LanguageModel, pretraining: PretrainResult? = nil) {
        self.model = model
        self.pretraining = pretraining
    }

    static func wrap(_ m: LanguageModel) -> Value { .object(ModelValue(m)) }

    var typeName: String { "lm" }
    var doc: String {
        """
        A decoder-only transformer language model (pre-norm, GPT-2 style) with \(ModelArgs.count(model.parameterCount)) parameters.
        Properties: config, params (record path → tensor; assignable), shapes, param_count, trainable_count, trainable, \
        frozen, tokenizer, lora, adapters.
        Methods: \(ModelMethods.names.joined(separator: ", ")). Use ?m.name for each.
        """
    }
    var memberNames: [String] { Self.properties + ModelMethods.names }
    static let properties = ["config", "params", "shapes", "param_count", "trainable_count", "trainable", "frozen",
                             "tokenizer", "lora", "adapters", "pretraining"]

    var shortSummary: String {
        let c = model.config
        return "lm \(c.layers)×\(c.dModel), \(ModelArgs.count(model.parameterCount)) params"
    }

    func display(_ ctx: DisplayContext) -> String {
        let c = model.config
        var lines = ["lm: \(c.layers) layers, dim \(c.dModel), \(c.heads) heads, context \(c.context), vocab \(c.vocabSize)"]
        lines.append("  mlp \(c.mlp.rawValue) ×\(ValueText.number(c.mlpRatio)), \(c.norm == .layerNorm ? "layer" : "rms") norm, \(c.positions.rawValue) positions\(c.tiedEmbeddings ? ", tied embeddings" : "")\(c.dropout > 0 ? ", dropout \(ValueText.number(c.dropout))" : "")")
        let total = model.parameterCount, trainable = model.trainableCount
        lines.append("  parameters: \(total) (\(ModelArgs.count(total)))" + (trainable == total ? "" : ", \(trainable) trainable"))
        if let l = model.lora { lines.append("  \(l)") }
        if let a = model.adapters { lines.append("  \(a)") }
        if !model.frozen.isEmpty { lines.append("  frozen: \(model.frozen.joined(separator: ", "))") }
        if let t = model.tokenizer { lines.append("  tokenizer: \(t.description)") }
        if let p = pretraining { lines.append("  " + PretrainingRecord.summary(p)) }
        return lines.joined(separator: "\n")
    }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let m = model
        switch name {
        case "config": return Self.config(m.config)
        case "params": return ParamsRecord.value(m.params)
        case "shapes":
            return .record(RecordBox(m.params.entries.map { ($0.path, .list(ListBox($0.tensor.shape.map { .number(Double($0)) }))) }))
        case "param_count": return .number(Double(m.parameterCount))
        case "trainable_count": return .number(Double(m.trainableCount))
        case "trainable": return ModelArgs.strings(m.params.paths.filter(m.isTrainable))
        case "frozen": return ModelArgs.strings(m.frozen)
        case "tokenizer": return m.tokenizer.map { .object(TokenizerValue($0)) } ?? .null
        case "lora":
            guard let l = m.lora else { return .null }
            return .record(RecordBox([("rank", .number(Double(l.rank))), ("alpha", .number(l.alpha)),
                                      ("targets", ModelArgs.strings(l.targets)), ("merged", .bool(l.merged))]))
        case "adapters":
            guard let a = m.adapters else { return .null }
            return .record(RecordBox([("layers", ModelArgs.ids(a.layers)), ("dim", .number(Double(a.dim))), ("heads", .number(Double(a.heads)))]))
        case "pretraining": return pretraining.map(PretrainingRecord.value) ?? .null
        default:
            return ModelMethods.method(name, self).map { .native($0) }
        }
    }

    func setMember(_ name: String, _ value: Value, _ ctx: CallContext) throws(NativeError) -> Bool {
        guard name == "params" else {
            if memberNames.contains(name) { throw NativeError("lm.\(name) cannot be assigned", hint: name == "frozen" ? "use m.freeze(pattern) / m.unfreeze()" : nil) }
            return false
        }
        try setParams(value, "lm.params")
        return true
    }

    /// Replaces the parameters at the paths of `value` (a record like `m.params`, whole or
    /// partial), checked against the model's shapes; the new tensors are detached.
    func setParams(_ value: Value, _ what: String) throws(NativeError) {
        let p = try ParamsRecord.merged(model, value, what)
        model.params = p.detached()
    }

    static func config(_ c: TransformerConfig) -> Value {
        .record(RecordBox([
            ("vocab", .number(Double(c.vocabSize))), ("dim", .number(Double(c.dModel))), ("layers", .number(Double(c.layers))),
            ("heads", .number(Double(c.heads))), ("context", .number(Double(c.context))), ("mlp_ratio", .number(c.mlpRatio)),
            ("mlp", .string(c.mlp.rawValue)), ("norm", .string(c.norm == .layerNorm ? "layer" : "rms")),
            ("positions", .string(c.positions.rawValue)), ("tied", .bool(c.tiedEmbeddings)), ("dropout", .number(c.dropout)),
        ]))
    }
}
