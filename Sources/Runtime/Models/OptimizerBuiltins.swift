import Language
import NN

/// adamw, adam and sgd: optimizers bound to a model, for training steps written in taalm
/// (fit builds its own from the same options).
enum OptimizerBuiltins {
    static var all: [NativeFunction] { [make(.adamw), make(.adam), make(.sgd)] }

    static func make(_ kind: OptimizerKind) -> NativeFunction {
        let name = kind.rawValue
        var params = [Param("model"), Param("lr", default: .number(1e-3)),
                      Param("weight_decay", default: .number(kind == .adamw ? 0.01 : 0))]
        params += kind == .sgd ? [Param("momentum", default: .number(0))]
            : [Param("betas", default: .list(ListBox([.number(0.9), .number(0.999)]))), Param("eps", default: .number(1e-8))]
        params += [Param("clip", default: .null), Param("warmup", default: .number(0)), Param("schedule", default: .string("constant")),
                   Param("total", default: .null)]
        let what: String
        switch kind {
        case .adamw: what = "Adam with decoupled weight decay (θ ← θ − lr·wd·θ, then the Adam step)"
        case .adam: what = "Adam (weight decay, if any, added to the gradient)"
        case .sgd: what = "SGD, with momentum if given (b ← μb + g, θ ← θ − lr·b)"
        }
        let doc = """
            \(name)(m, lr: 1e-3, ...) is an optimizer for model m: \(what). clip: a global gradient-norm limit; warmup: \
            steps of linear warm-up; schedule: "constant", "linear" or "cosine" (decay to step total:). Use it for a \
            training step written in taalm: let (loss, g) = value_and_grad(fn(p) { m.loss(texts, params: p) })(m.params); \
            opt.step(g). Its state is inspectable: opt.state(path), opt.steps, opt.lr.
            """
        return NativeFunction(name, doc: doc, params: params) { args, _ throws(NativeError) in
            let m = try ModelBuiltins.model(args[0], "\(name): model")
            var c = OptimizerConfig(kind: kind, lr: try ModelArgs.double(args[1], "\(name): lr"),
                                    weightDecay: try ModelArgs.double(args[2], "\(name): weight_decay"))
            var i = 3
            if kind == .sgd {
                c.momentum = try ModelArgs.double(args[3], "sgd: momentum")
                i = 4
            } else {
                guard case .list(let b) = args[3], b.items.count == 2 else { throw NativeError("\(name): betas must be a list of two numbers") }
                c.beta1 = try ModelArgs.double(b.items[0], "\(name): betas[0]")
                c.beta2 = try ModelArgs.double(b.items[1], "\(name): betas[1]")
                c.eps = try ModelArgs.double(args[4], "\(name): eps")
                i = 5
            }
            c.clipNorm = try ModelArgs.optionalDouble(args[i], "\(name): clip")
            let total = try ModelArgs.optionalInt(args[i + 3], "\(name): total", min: 1)
            c.schedule = try schedule(args[i + 2], warmup: args[i + 1], total: total, name)
            let opt = try ModelErrors.run(name) { () throws(NNError) in try Optimizer(c) }
            return .object(OptimizerValue(opt, model: m))
        }
    }

    /// A learning-rate schedule from `schedule:` ("constant", "linear", "cosine"), `warmup:` steps and the total steps.
    static func schedule(_ kind: Value, warmup: Value, total: Int?, _ name: String) throws(NativeError) -> Schedule {
        let w = try ModelArgs.int(warmup, "\(name): warmup", min: 0)
        let s = try ModelArgs.choice(kind, "\(name): schedule", [("constant", 0), ("linear", 1), ("cosine", 2)])
        if s == 0 { return w > 0 ? .warmup(steps: w) : .constant }
        guard let total else {
            throw NativeError("\(name): a \(s == 1 ? "linear" : "cosine") schedule needs the total number of steps", hint: "give total: (fit works it out itself)")
        }
        return s == 1 ? .linear(warmup: w, total: total) : .cosine(warmup: w, total: total, minFactor: 0)
    }
}
