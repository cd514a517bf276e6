import Foundation
import Language
import TensorCore

/// The tensor functions of taalm, each defined once: as a builtin (`sum(x, axis: 0)`)
/// and, with the tensor as receiver, as a method (`x.sum(axis: 0)`).
enum TensorMethods {
    typealias Impl = (Tensor, Arguments) throws(NativeError) -> Value

    struct Entry {
        let name: String
        let doc: String
        let params: [Param]      // after the tensor
        let variadic: Bool
        let impl: Impl
    }

    static func wrap(_ t: Tensor) -> Value { TensorValue.wrap(t) }

    static func core(_ body: () throws(TensorError) -> Tensor) throws(NativeError) -> Value {
        wrap(try TensorConvert.core(body))
    }

    static func reduction(_ name: String, _ doc: String, _ op: @escaping (Tensor, [Int]?, Bool) throws(TensorError) -> Tensor) -> Entry {
        Entry(name: name, doc: doc, params: [Param("axis", default: .null), Param("keepdims", default: .bool(false))], variadic: false) { t, args throws(NativeError) in
            let axes = try TensorConvert.axes(args[1], name)
            let keep = try TensorConvert.bool(args[2], default: false, "\(name): keepdims")
            return try core { () throws(TensorError) in try op(t, axes, keep) }
        }
    }

    static func unaryEntry(_ kind: UnaryKind, _ doc: String) -> Entry {
        Entry(name: kind.rawValue, doc: doc, params: [], variadic: false) { t, _ throws(NativeError) in
            try core { () throws(TensorError) in try unaryOp(kind, t) }
        }
    }

    static var entries: [Entry] { [
        reduction("sum", "Sum of the elements, over `axis` (an integer or a list; default all) — `keepdims` keeps reduced axes as size 1.") { t, a, k throws(TensorError) in try TensorCore.sum(t, axes: a, keepDims: k) },
        reduction("mean", "Mean of the elements over `axis` (default all).") { t, a, k throws(TensorError) in try TensorCore.mean(t, axes: a, keepDims: k) },
        reduction("max", "Largest element over `axis` (default all). Its gradient flows to the maximum (split between ties).") { t, a, k throws(TensorError) in try TensorCore.max(t, axes: a, keepDims: k) },
        reduction("min", "Smallest element over `axis` (default all).") { t, a, k throws(TensorError) in try TensorCore.min(t, axes: a, keepDims: k) },
        reduction("variance", "Population variance over `axis` (default all). As a method also `x.var()`.") { t, a, k throws(TensorError) in try variance(t, axes: a, keepDims: k) },
        reduction("logsumexp", "log(sum(exp(x))) over `axis`, computed stably.") { t, a, k throws(TensorError) in try TensorCore.logsumexp(t, axes: a, keepDims: k) },
        unaryEntry(.exp, "e raised to each element."),
        unaryEntry(.log, "Natural logarithm of each element."),
        unaryEntry(.sqrt, "Square root of each element."),
        unaryEntry(.tanh, "Hyperbolic tangent of each element."),
        unaryEntry(.sigmoid, "1 / (1 + exp(-x)) for each element."),
        unaryEntry(.relu, "max(x, 0) for each element."),
        unaryEntry(.gelu, "GELU (tanh approximation, as GPT-2) for each element."),
        unaryEntry(.abs, "Absolute value of each element."),
        unaryEntry(.sin, "Sine of each element."),
        unaryEntry(.cos, "Cosine of each element."),
        Entry(name: "softmax", doc: "Softmax over the last axis (each row sums to 1).", params: [], variadic: false) { t, _ throws(NativeError) in
            try core { () throws(TensorError) in try softmax(t) }
        },
        Entry(name: "log_softmax", doc: "log(softmax(x)) over the last axis, computed stably.", params: [], variadic: false) { t, _ throws(NativeError) in
            try core { () throws(TensorError) in try logSoftmax(t) }
        },
        Entry(name: "reshape", doc: "The same elements in a new shape: x.reshape(2, 3) or x.reshape([2, -1]) (-1 is inferred).", params: [], variadic: true) { t, args throws(NativeError) in
            var dims: [Value] = Array(args.positional.dropFirst())
            if dims.count == 1, case .list(let l) = dims[0] { dims = l.items }
            var shape: [Int] = []
            for d in dims { shape.append(try TensorConvert.int(d, "reshape: dimension")) }
            return try core { () throws(TensorError) in try reshape(t, shape) }
        },
        Entry(name: "flatten", doc: "The elements as a rank-1 tensor.", params: [], variadic: false) { t, _ throws(NativeError) in
            try core { () throws(TensorError) in try reshape(t, [t.count]) }
        },
        Entry(name: "transpose", doc: "Swaps two axes (default the last two).", params: [Param("a", default: .number(-2)), Param("b", default: .number(-1))], variadic: false) { t, args throws(NativeError) in
            let a = try TensorConvert.int(args[1], "transpose: a"), b = try TensorConvert.int(args[2], "transpose: b")
            return try core { () throws(TensorError) in try transpose(t, a, b) }
        },
        Entry(name: "permute", doc: "Reorders the axes: x.permute(2, 0, 1).", params: [], variadic: true) { t, args throws(NativeError) in
            var dims: [Value] = Array(args.positional.dropFirst())
            if dims.count == 1, case .list(let l) = dims[0] { dims = l.items }
            var perm: [Int] = []
            for d in dims { perm.append(try TensorConvert.int(d, "permute: axis")) }
            return try core { () throws(TensorError) in try permute(t, perm) }
        },
        Entry(name: "detach", doc: "The same values with no gradient flowing through (stop-gradient).", params: [], variadic: false) { t, _ throws(NativeError) in
            wrap(t.detach())
        },
        Entry(name: "item", doc: "The number held by a one-element tensor.", params: [], variadic: false) { t, _ throws(NativeError) in
            TensorConvert.number(try TensorConvert.core { () throws(TensorError) in try t.item() })
        },
        Entry(name: "tolist", doc: "The elements as nested lists of numbers.", params: [], variadic: false) { t, _ throws(NativeError) in
            nestedList(t)
        },
        Entry(name: "argmax", doc: "Index of the largest element along `axis` (default the last), as a tensor of integers.", params: [Param("axis", default: .number(-1))], variadic: false) { t, args throws(NativeError) in
            let axis = try TensorConvert.int(args[1], "argmax: axis")
            return wrap(try argmax(t, axis: axis))
        },
    ] }

    /// Method names that are another entry's name (`x.var()`, as in NumPy and PyTorch;
    /// the builtin is `variance`, since `var` is a keyword).
    static let methodAliases = ["var": "variance"]

    static func entry(_ name: String) -> Entry? {
        let name = methodAliases[name] ?? name
        return entries.first { $0.name == name }
    }

    /// `t.name` as a bound method, or nil.
    static func method(_ name: String, _ t: Tensor) -> NativeFunction? {
        guard let e = entry(name) else { return nil }
        return NativeFunction(e.name, doc: e.doc, params: e.params, variadic: e.variadic) { args, _ throws(NativeError) in
            var inner = args
            inner.positional.insert(wrap(t), at: 0)
            return try e.impl(t, inner)
        }
    }

    /// The builtin form, taking the tensor (or a number/list) first.
    static func builtin(_ e: Entry) -> NativeFunction {
        NativeFunction(e.name, doc: e.doc, params: [Param("x")] + e.params, variadic: e.variadic) { args, _ throws(NativeError) in
            let t = try TensorConvert.toTensor(args[0], "argument 'x' of \(e.name)")
            return try e.impl(t, args)
        }
    }

    static func nestedList(_ t: Tensor) -> Value {
        let v = t.scalars
        if t.rank == 0 { return TensorConvert.number(v.first ?? 0) }
        func build(_ axis: Int, _ offset: Int, _ strides: [Int]) -> Value {
            var items: [Value] = []
            for i in 0..<t.shape[axis] {
                let o = offset + i * strides[axis]
                items.append(axis == t.rank - 1 ? TensorConvert.number(v[o]) : build(axis + 1, o, strides))
            }
            return .list(ListBox(items))
        }
        return build(0, 0, Shape.strides(t.shape))
    }

    static func argmax(_ t: Tensor, axis: Int) throws(NativeError) -> Tensor {
        let ax = try TensorConvert.core { () throws(TensorError) in try Shape.axis(axis, rank: t.rank, op: "argmax") }
        let n = t.shape[ax]
        guard n > 0 else { throw NativeError("argmax: axis \(axis) is empty") }
        let outer = t.shape[..<ax].reduce(1, *), inner = t.shape[(ax + 1)...].reduce(1, *)
        let v = t.scalars
        var out = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                var bestValue = v[o * n * inner + i]
                for k in 1..<Swift.max(n, 1) where v[(o * n + k) * inner + i] > bestValue {
                    best = k
                    bestValue = v[(o * n + k) * inner + i]
                }
                out[o * inner + i] = Float(best)
            }
        }
        var shape = t.shape
        shape.remove(at: ax)
        return try TensorConvert.core { () throws(TensorError) in try Tensor(shape: shape, values: out) }
    }
}
