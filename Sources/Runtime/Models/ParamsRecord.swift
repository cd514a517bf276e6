import Language
import NN
import TensorCore

/// A model's parameters as a taalm record: dotted path → tensor, in the model's order
/// (`{"blocks.0.attn.wq.weight": tensor(...), ...}`). Records are what `grad` and
/// `value_and_grad` differentiate, so gradients come back as records with the same keys.
enum ParamsRecord {
    static func value(_ p: ParameterSet) -> Value {
        .record(RecordBox(p.entries.map { ($0.path, TensorValue.wrap($0.tensor)) }))
    }

    /// A parameter set from a record of tensors (a partial set is allowed; callers check
    /// paths and shapes against the model).
    static func set(_ v: Value, _ what: String) throws(NativeError) -> ParameterSet {
        guard case .record(let r) = v else {
            throw NativeError("\(what) must be a record of path → tensor (like m.params), not \(v.typeName)")
        }
        var pairs: [(String, Tensor)] = []
        for (k, item) in zip(r.keys, r.values) {
            guard let t = TensorConvert.tensor(item) else {
                throw NativeError("\(what): '\(k)' must be a tensor, not \(item.typeName)")
            }
            pairs.append((k, t))
        }
        return try ModelErrors.run(what) { () throws(NNError) in try ParameterSet(pairs) }
    }

    /// The model's parameters with the paths of `p` replaced (unknown paths and shape
    /// mismatches are errors).
    static func merged(_ model: LanguageModel, _ v: Value, _ what: String) throws(NativeError) -> ParameterSet {
        let p = try set(v, what)
        return try ModelErrors.run(what) { () throws(NNError) in
            for path in p.paths where !model.params.contains(path) {
                throw NNError.parameter("'\(path)' is not a parameter of this model")
            }
            return try model.params.applying(p)
        }
    }
}
