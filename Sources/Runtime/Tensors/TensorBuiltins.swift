import Language
import TensorCore

/// Builtins that create and combine tensors: tensor, zeros, ones, full, arange, randn,
/// rand, seed, matmul, maximum, minimum, where, concat, stack, layer_norm, cross_entropy,
/// plus every function of `TensorMethods` (sum, mean, exp, reshape, ...).
enum TensorBuiltins {
    static func all(_ state: RuntimeState) -> [NativeFunction] {
        TensorMethods.entries.map(TensorMethods.builtin) + creation(state) + combining
    }

    static func wrap(_ t: Tensor) -> Value { TensorValue.wrap(t) }
    static func core(_ body: () throws(TensorError) -> Tensor) throws(NativeError) -> Value {
        wrap(try TensorConvert.core(body))
    }

    static func creation(_ state: RuntimeState) -> [NativeFunction] {
        [
            NativeFunction("tensor", doc: "A tensor from a number or nested lists of numbers: tensor([[1, 2], [3, 4]]).",
                           params: [Param("data")]) { args, _ throws(NativeError) in
                wrap(try TensorConvert.toTensor(args[0], "tensor"))
            },
            NativeFunction("zeros", doc: "A tensor of zeros: zeros(2, 3) or zeros([2, 3]).", variadic: true) { args, _ throws(NativeError) in
                let s = try TensorConvert.shape(args.positional, "zeros")
                return try core { () throws(TensorError) in try Tensor.zeros(s) }
            },
            NativeFunction("ones", doc: "A tensor of ones: ones(2, 3) or ones([2, 3]).", variadic: true) { args, _ throws(NativeError) in
                let s = try TensorConvert.shape(args.positional, "ones")
                return try core { () throws(TensorError) in try Tensor.ones(s) }
            },
            NativeFunction("full", doc: "A tensor of `shape` filled with `value`: full([2, 3], 7).",
                           params: [Param("shape"), Param("value")]) { args, _ throws(NativeError) in
                let s = try TensorConvert.shape([args[0]], "full")
                let v = Float(try args.number(1))
                return try core { () throws(TensorError) in try Tensor.full(s, v) }
            },
            NativeFunction("arange", doc: "Evenly spaced numbers like numpy.arange: arange(5), arange(1, 2, 0.25).",
                           params: [Param("start"), Param("stop", default: .null), Param("step", default: .number(1))]) { args, _ throws(NativeError) in
                var start = try args.number(0), stop = 0.0
                if args[1].isNil { stop = start; start = 0 } else { stop = try args.number(1) }
                let step = try args.number(2)
                return try core { () throws(TensorError) in try Tensor.arange(start, stop, step: step) }
            },
            NativeFunction("randn", doc: "Normal random numbers (mean 0, std 1 unless given): randn(2, 3, std: 0.1, seed: 1). Without a seed the interpreter's seeded stream is used (see seed()).",
                           params: [Param("std", default: .number(1)), Param("mean", default: .number(0)), Param("seed", default: .null)],
                           variadic: true) { args, _ throws(NativeError) in
                let s = try TensorConvert.shape(args.positional, "randn")
                let std = Float(try number(args.named["std"], "randn: std")), mean = Float(try number(args.named["mean"], "randn: mean"))
                return try state.withRNG(seed: args.named["seed"]) { rng throws(NativeError) in
                    try core { () throws(TensorError) in try Tensor.randomNormal(s, mean: mean, std: std, rng: &rng) }
                }
            },
            NativeFunction("rand", doc: "Uniform random numbers in [low, high) (default [0, 1)): rand(3, low: -1, high: 1, seed: 2).",
                           params: [Param("low", default: .number(0)), Param("high", default: .number(1)), Param("seed", default: .null)],
                           variadic: true) { args, _ throws(NativeError) in
                let s = try TensorConvert.shape(args.positional, "rand")
                let lo = Float(try number(args.named["low"], "rand: low")), hi = Float(try number(args.named["high"], "rand: high"))
                guard lo <= hi else { throw NativeError("rand: low (\(lo)) must not exceed high (\(hi))") }
                return try state.withRNG(seed: args.named["seed"]) { rng throws(NativeError) in
                    try core { () throws(TensorError) in try Tensor.randomUniform(s, low: lo, high: hi, rng: &rng) }
                }
            },
            NativeFunction("seed", doc: "Restarts the interpreter's random stream from `n`, so what follows is reproducible.",
                           params: [Param("n")]) { args, _ throws(NativeError) in
                let n = try TensorConvert.int(args[0], "seed: n")
                state.rng = TaalmRNG(seed: UInt64(bitPattern: Int64(n)))
                return .null
            },
            NativeFunction("eye", doc: "The n×n identity matrix.", params: [Param("n")]) { args, _ throws(NativeError) in
                let n = try TensorConvert.int(args[0], "eye: n")
                guard n >= 0 else { throw NativeError("eye: n must be ≥ 0, got \(n)") }
                let count = try TensorConvert.core { () throws(TensorError) in try Shape.validate([n, n], op: "eye") }
                var v = [Float](repeating: 0, count: count)
                for i in 0..<n { v[i * n + i] = 1 }
                return try core { () throws(TensorError) in try Tensor(shape: [n, n], values: v) }
            },
        ]
    }

    static func number(_ v: Value?, _ what: String) throws(NativeError) -> Double {
        guard let v, case .number(let d) = v else { throw NativeError("\(what) must be a number") }
        return d
    }

    static func pair(_ args: Arguments, _ name: String) throws(NativeError) -> (Tensor, Tensor) {
        (try TensorConvert.toTensor(args[0], "argument 'a' of \(name)"), try TensorConvert.toTensor(args[1], "argument 'b' of \(name)"))
    }

    static func tensorList(_ v: Value, _ what: String) throws(NativeError) -> [Tensor] {
        guard case .list(let l) = v else { throw NativeError("\(what) must be a list of tensors, not \(v.typeName)") }
        var out: [Tensor] = []
        for (i, item) in l.items.enumerated() { out.append(try TensorConvert.toTensor(item, "\(what)[\(i)]")) }
        return out
    }

    static var combining: [NativeFunction] { [
        NativeFunction("matmul", doc: "Matrix product a @ b over the last two axes (batch axes broadcast).",
                       params: [Param("a"), Param("b")]) { args, _ throws(NativeError) in
            let (a, b) = try pair(args, "matmul")
            return try core { () throws(TensorError) in try matmul(a, b) }
        },
        NativeFunction("maximum", doc: "Elementwise larger of a and b.", params: [Param("a"), Param("b")]) { args, _ throws(NativeError) in
            let (a, b) = try pair(args, "maximum")
            return try core { () throws(TensorError) in try maximum(a, b) }
        },
        NativeFunction("minimum", doc: "Elementwise smaller of a and b.", params: [Param("a"), Param("b")]) { args, _ throws(NativeError) in
            let (a, b) = try pair(args, "minimum")
            return try core { () throws(TensorError) in try minimum(a, b) }
        },
        NativeFunction("where", doc: "a where cond is non-zero, b elsewhere (all three broadcast).",
                       params: [Param("cond"), Param("a"), Param("b")]) { args, _ throws(NativeError) in
            let c = try TensorConvert.toTensor(args[0], "argument 'cond' of where")
            let (a, b) = (try TensorConvert.toTensor(args[1], "argument 'a' of where"), try TensorConvert.toTensor(args[2], "argument 'b' of where"))
            return try core { () throws(TensorError) in try select(c, a, b) }
        },
        NativeFunction("concat", doc: "Joins tensors along an existing axis: concat([a, b], axis: 0).",
                       params: [Param("tensors"), Param("axis", default: .number(0))]) { args, _ throws(NativeError) in
            let ts = try tensorList(args[0], "concat: tensors")
            let axis = try TensorConvert.int(args[1], "concat: axis")
            return try core { () throws(TensorError) in try concat(ts, axis: axis) }
        },
        NativeFunction("stack", doc: "Stacks equal-shaped tensors along a new axis: stack([a, b]).",
                       params: [Param("tensors"), Param("axis", default: .number(0))]) { args, _ throws(NativeError) in
            let ts = try tensorList(args[0], "stack: tensors")
            let axis = try TensorConvert.int(args[1], "stack: axis")
            return try core { () throws(TensorError) in try stack(ts, axis: axis) }
        },
        NativeFunction("layer_norm", doc: "(x - mean) / sqrt(var + eps) over the last axis.",
                       params: [Param("x"), Param("eps", default: .number(1e-5))]) { args, _ throws(NativeError) in
            let x = try TensorConvert.toTensor(args[0], "argument 'x' of layer_norm")
            let eps = Float(try args.number(1))
            return try core { () throws(TensorError) in try layerNorm(x, eps: eps) }
        },
        NativeFunction("cross_entropy", doc: "Per-row cross-entropy of logits [..., C] against integer targets [...] (no reduction).",
                       params: [Param("logits"), Param("targets")]) { args, _ throws(NativeError) in
            let x = try TensorConvert.toTensor(args[0], "argument 'logits' of cross_entropy")
            guard x.rank >= 1 else { throw NativeError("cross_entropy: logits need a class axis, got a scalar") }
            guard let ids = try TensorIndexing.rowIndices(args[1], rows: x.shape[x.rank - 1], item: "cross_entropy: target", unit: "classes", fromEnd: false) else {
                throw NativeError("cross_entropy: targets must be a list or tensor of class indices")
            }
            return try core { () throws(TensorError) in try crossEntropy(x, ids) }
        },
    ] }
}
