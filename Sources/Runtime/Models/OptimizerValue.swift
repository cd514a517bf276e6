import Language
import NN
import TensorCore

/// An optimizer bound to a model: `opt.step(g)` applies a gradient record (as from
/// `value_and_grad` over `m.params`) to the model's trainable parameters, and its
/// per-parameter state is inspectable (`opt.state("head.weight")`).
final class OptimizerValue: NativeObject {
    let optimizer: Optimizer
    let model: LanguageModel
    init(_ optimizer: Optimizer, model: LanguageModel) { self.optimizer = optimizer; self.model = model }

    var typeName: String { "optimizer" }
    var doc: String {
        """
        \(optimizer.config.kind.rawValue) optimizer of a model. Properties: kind, lr (the rate of the next step), base_lr, \
        steps, grad_norm (before clipping, at the last step), config, paths (parameters with state).
        Methods: step(g), state(path), reset(). Use ?opt.step for details.
        """
    }
    var memberNames: [String] { ["kind", "lr", "base_lr", "steps", "grad_norm", "config", "paths", "step", "state", "reset"] }
    var shortSummary: String { "\(optimizer.config.kind.rawValue), \(optimizer.stepCount) steps" }
    func display(_ ctx: DisplayContext) -> String {
        "<optimizer \(optimizer.config), \(optimizer.stepCount) step\(optimizer.stepCount == 1 ? "" : "s") taken>"
    }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let o = optimizer
        switch name {
        case "kind": return .string(o.config.kind.rawValue)
        case "lr": return .number(o.currentLearningRate)
        case "base_lr": return .number(o.config.lr)
        case "steps": return .number(Double(o.stepCount))
        case "grad_norm": return .number(o.lastGradNorm)
        case "paths": return ModelArgs.strings(o.statePaths.sorted { (index($0), $0) < (index($1), $1) })
        case "config":
            let c = o.config
            var pairs: [(String, Value)] = [("kind", .string(c.kind.rawValue)), ("lr", .number(c.lr)), ("weight_decay", .number(c.weightDecay))]
            if c.kind == .sgd { pairs.append(("momentum", .number(c.momentum))) } else {
                pairs += [("betas", .list(ListBox([.number(c.beta1), .number(c.beta2)]))), ("eps", .number(c.eps))]
            }
            pairs += [("clip", c.clipNorm.map { .number($0) } ?? .null), ("schedule", .string(c.schedule.description))]
            return .record(RecordBox(pairs))
        case "step": return .native(stepMethod)
        case "state": return .native(stateMethod)
        case "reset":
            return .native(NativeFunction("optimizer.reset", doc: "opt.reset() forgets all state and the step count.") { _, _ throws(NativeError) in
                o.reset()
                return .null
            })
        default: return nil
        }
    }

    private func index(_ path: String) -> Int { model.params.paths.firstIndex(of: path) ?? Int.max }

    private var stepMethod: NativeFunction {
        NativeFunction("optimizer.step", doc: """
            opt.step(g) updates the model with gradients g, a record path → tensor like the gradient of \
            value_and_grad(fn(p) { m.loss(texts, params: p) })(m.params): one training step written in taalm. Frozen \
            parameters (m.freeze, LoRA, adapters) are left alone. Returns the gradient norm before clipping.
            """, params: [Param("grads")]) { args, _ throws(NativeError) in
            let g = try ParamsRecord.set(args[0], "optimizer.step: grads").detached()
            let m = self.model
            for path in g.paths where !m.params.contains(path) {
                throw NativeError("optimizer.step: '\(path)' is not a parameter of this optimizer's model",
                                  hint: "the gradient must be taken over m.params of the model given to the optimizer")
            }
            let grads = g.filter(m.isTrainable)
            guard !grads.isEmpty else { throw NativeError("optimizer.step: no gradient for a trainable parameter", hint: "every path in g is frozen") }
            try ModelErrors.run("optimizer.step") { () throws(NNError) in
                let updated = try self.optimizer.step(params: m.params, grads: grads)
                m.params = try m.params.applying(updated)
            }
            return .number(self.optimizer.lastGradNorm)
        }
    }

    private var stateMethod: NativeFunction {
        NativeFunction("optimizer.state", doc: """
            opt.state(path) is the optimizer's state for one parameter: {m, v} (Adam's moment estimates) or {momentum} \
            (SGD), as tensors shaped like the parameter; empty before the first step. A path prefix or pattern (e.g. \
            "blocks.0.attn.wq") gives a record path → state for every parameter it matches.
            """, params: [Param("path")]) { args, _ throws(NativeError) in
            let path = try ModelArgs.string(args[0], "optimizer.state: path")
            let o = self.optimizer
            func record(_ p: String) -> Value {
                .record(RecordBox(o.state(of: p).sorted { $0.key < $1.key }.map { ($0.key, TensorValue.wrap($0.value)) }))
            }
            let paths = self.model.params.paths
            if paths.contains(path) { return record(path) }
            let matches = paths.filter { PathPattern.matches(path, $0) }
            guard !matches.isEmpty else {
                throw NativeError("optimizer.state: no parameter matches '\(path)'", hint: "paths look like \(paths.prefix(3).joined(separator: ", "))")
            }
            return .record(RecordBox(matches.map { ($0, record($0)) }))
        }
    }
}
