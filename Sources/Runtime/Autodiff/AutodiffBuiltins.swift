import Foundation
import Language
import TensorCore

/// grad, value_and_grad, jvp, vjp and check_grad: transforms that take a taalm function
/// and return a taalm function (or its derivatives), composable like JAX's.
enum AutodiffBuiltins {
    static var all: [NativeFunction] { [gradFn, valueAndGradFn, jvpFn, vjpFn, checkGradFn] }

    /// Which positional arguments to differentiate: `argnums: 0` or `argnums: [0, 2]`.
    static func argnums(_ v: Value?, count: Int, _ name: String) throws(NativeError) -> (indices: [Int], single: Bool) {
        var list: [Int] = [0]
        var single = true
        if let v, !v.isNil {
            switch v {
            case .number: list = [try TensorConvert.int(v, "\(name): argnums")]
            case .list(let l):
                single = false
                list = []
                for item in l.items { list.append(try TensorConvert.int(item, "\(name): argnums")) }
            default: throw NativeError("\(name): argnums must be an integer or a list of integers")
            }
        }
        for i in list where i < 0 || i >= count {
            throw NativeError("\(name): argnums \(i) does not name one of the \(count) argument(s) given",
                              hint: count == 0 ? "call the transformed function with the value to differentiate at, e.g. grad(f)(x)" : nil)
        }
        return (list, single)
    }

    /// True when every differentiated leaf was a plain number (numbers in, numbers out).
    static func numbersOnly(_ trees: [(Int, ValueTree)]) -> Bool {
        trees.allSatisfy { $0.1.kinds.allSatisfy { $0 == .number } }
    }

    /// Calls `f` with the selected arguments replaced by trees over `xs`.
    static func call(_ f: Value, _ args: [Value], _ trees: [(Int, ValueTree)], _ xs: [Tensor], _ ctx: CallContext) throws -> Value {
        var callArgs = args
        var offset = 0
        for (i, tree) in trees {
            let n = tree.leaves.count
            callArgs[i] = tree.rebuild(Array(xs[offset..<offset + n]), numbersAsNumbers: false)
            offset += n
        }
        return try ctx.call(f, callArgs)
    }

    /// The shared machinery of grad and value_and_grad.
    static func differentiate(_ name: String, _ f: Value, _ args: Arguments, argnumsValue: Value?, _ ctx: CallContext) throws(NativeError) -> (value: Value, grads: Value) {
        let (which, single) = try argnums(argnumsValue, count: args.count, name)
        var trees: [(Int, ValueTree)] = []
        for i in which { trees.append((i, try ValueTree(args[i], name))) }
        let leaves = trees.flatMap { $0.1.leaves }
        var returned: Value = .null
        let (value, grads) = try transformErrors(name) {
            try Autodiff.valueAndGrad(at: leaves) { xs in
                returned = try call(f, args.positional, trees, xs, ctx)
                return try scalarResult(returned, name)
            }
        }
        var results: [Value] = []
        var offset = 0
        for (_, tree) in trees {
            let n = tree.leaves.count
            results.append(tree.rebuild(Array(grads[offset..<offset + n]), numbersAsNumbers: true))
            offset += n
        }
        // Numbers in, numbers out (as jvp), unless an enclosing transform still follows the value.
        let allNumbers = Self.numbersOnly(trees)
        let plain = (TensorConvert.tensor(returned) == nil || allNumbers) && value.count == 1 && !value.isTraced
        let valueOut: Value = plain ? TensorConvert.number(value.scalars[0]) : TensorValue.wrap(value)
        return (valueOut, single ? results[0] : .list(ListBox(results)))
    }

    nonisolated(unsafe) static let gradFn = NativeFunction(
        "grad",
        doc: """
        grad(f) is the function computing the gradient of f (which must return one number) with respect to its first \
        argument; grad(f, argnums: [0, 1]) differentiates several. Arguments may be numbers, tensors, or lists/records of \
        them (the gradient has the same structure). Transforms compose: grad(grad(f))(x) is the second derivative.
        """,
        params: [Param("f"), Param("argnums", default: .null)]
    ) { args, _ throws(NativeError) in
        let f = try args.callable(0)
        let nums = args[1]
        return .native(NativeFunction("grad(\(functionName(f)))", doc: "The gradient of \(functionName(f)).", variadic: true) { inner, ctx throws(NativeError) in
            try differentiate("grad", f, inner, argnumsValue: nums, ctx).grads
        })
    }

    nonisolated(unsafe) static let valueAndGradFn = NativeFunction(
        "value_and_grad",
        doc: "value_and_grad(f) is the function returning [f(x), grad(f)(x)] in one pass: let (loss, g) = value_and_grad(f)(w).",
        params: [Param("f"), Param("argnums", default: .null)]
    ) { args, _ throws(NativeError) in
        let f = try args.callable(0)
        let nums = args[1]
        return .native(NativeFunction("value_and_grad(\(functionName(f)))", doc: "The value and gradient of \(functionName(f)).", variadic: true) { inner, ctx throws(NativeError) in
            let (v, g) = try differentiate("value_and_grad", f, inner, argnumsValue: nums, ctx)
            return .list(ListBox([v, g]))
        })
    }

    /// The argument list of jvp/vjp: a list is the list of arguments; anything else is one argument.
    static func argumentList(_ v: Value) -> [Value] {
        if case .list(let l) = v { return l.items }
        return [v]
    }

    nonisolated(unsafe) static let jvpFn = NativeFunction(
        "jvp",
        doc: """
        jvp(f, primals, tangents) runs f forward with tangents attached and returns [f(primals), J·tangents]: the \
        directional derivative, by forward mode (no backward pass). primals and tangents are lists of arguments \
        (or one tensor/number each): jvp(f, [x], [v]).
        """,
        params: [Param("f"), Param("primals"), Param("tangents")]
    ) { args, ctx throws(NativeError) in
        let f = try args.callable(0)
        let primals = argumentList(args[1]), tangents = argumentList(args[2])
        guard primals.count == tangents.count else {
            throw NativeError("jvp: \(primals.count) primal argument(s) but \(tangents.count) tangent(s)")
        }
        var trees: [(Int, ValueTree)] = []
        var tangentLeaves: [Tensor] = []
        for (i, p) in primals.enumerated() {
            let tree = try ValueTree(p, "jvp"), tt = try ValueTree(tangents[i], "jvp")
            guard tree.leaves.map(\.shape) == tt.leaves.map(\.shape) else {
                throw NativeError("jvp: the tangent for argument \(i) does not have the shape of the primal",
                                  hint: "primal shapes \(tree.leaves.map { shapeString($0.shape) }), tangent shapes \(tt.leaves.map { shapeString($0.shape) })")
            }
            trees.append((i, tree))
            tangentLeaves += tt.leaves
        }
        let leaves = trees.flatMap { $0.1.leaves }
        var returned: Value = .null
        let (y, t) = try transformErrors("jvp") {
            try Autodiff.jvp(at: leaves, tangents: tangentLeaves) { xs in
                returned = try call(f, primals, trees, xs, ctx)
                return try scalarOrTensor(returned, "jvp")
            }
        }
        // Numbers in, numbers out: a function of plain numbers gives plain numbers.
        let allNumbers = Self.numbersOnly(trees)
        if case .number = returned, !t.isTraced { return .list(ListBox([returned, TensorConvert.number(t.scalars.first ?? 0)])) }
        if allNumbers && y.count == 1 && !y.isTraced && !t.isTraced {
            return .list(ListBox([TensorConvert.number(y.scalars[0]), TensorConvert.number(t.scalars[0])]))
        }
        return .list(ListBox([TensorValue.wrap(y), TensorValue.wrap(t)]))
    }

    static func scalarOrTensor(_ v: Value, _ name: String) throws -> Tensor { try scalarResult(v, name) }

    nonisolated(unsafe) static let vjpFn = NativeFunction(
        "vjp",
        doc: """
        vjp(f, x...) returns [f(x...), pullback]; pullback(ct) gives the cotangent of each argument (vector-Jacobian \
        product ctᵀ·J), as a list when f takes several arguments. The pullback can be called many times.
        """,
        params: [Param("f")], variadic: true
    ) { args, ctx throws(NativeError) in
        let f = try args.callable(0)
        let primals = Array(args.positional.dropFirst())
        guard !primals.isEmpty else { throw NativeError("vjp: give the arguments to evaluate f at: vjp(f, x)") }
        var trees: [(Int, ValueTree)] = []
        for (i, p) in primals.enumerated() { trees.append((i, try ValueTree(p, "vjp"))) }
        let leaves = trees.flatMap { $0.1.leaves }
        let (y, pullback) = try transformErrors("vjp") {
            try Autodiff.vjp(at: leaves) { xs in try scalarResult(call(f, primals, trees, xs, ctx), "vjp") }
        }
        let pb = NativeFunction("pullback", doc: "The pullback of \(functionName(f)): cotangent of the output → cotangents of the inputs.",
                                params: [Param("cotangent")]) { inner, _ throws(NativeError) in
            let ct = try TensorConvert.toTensor(inner[0], "pullback: cotangent")
            let gs = try transformErrors("pullback") { try pullback(ct) }
            var results: [Value] = []
            var offset = 0
            for (_, tree) in trees {
                let n = tree.leaves.count
                results.append(tree.rebuild(Array(gs[offset..<offset + n]), numbersAsNumbers: true))
                offset += n
            }
            return results.count == 1 ? results[0] : .list(ListBox(results))
        }
        return .list(ListBox([TensorValue.wrap(y), .native(pb)]))
    }

    nonisolated(unsafe) static let checkGradFn = NativeFunction(
        "check_grad",
        doc: """
        check_grad(f, x) compares grad(f)(x) with central finite differences (f(x+ε) - f(x-ε)) / 2ε on up to 64 \
        elements of x and returns {ok, max_abs_error, max_rel_error, checked}. Use it to test a function you wrote.
        """,
        params: [Param("f"), Param("x"), Param("eps", default: .number(1e-3)), Param("tol", default: .number(1e-2))]
    ) { args, ctx throws(NativeError) in
        let f = try args.callable(0)
        let x = try TensorConvert.toTensor(args[1], "argument 'x' of check_grad")
        let eps = try args.number(2), tol = try args.number(3)
        guard eps > 0, tol > 0 else { throw NativeError("check_grad: eps and tol must be positive") }
        let asNumber: Bool = { if case .number = args[1] { return true } else { return false } }()
        func evaluate(_ t: Tensor) throws -> Double {
            let arg: Value = asNumber ? .number(Double(t.scalars[0])) : TensorValue.wrap(t)
            return Double(try scalarResult(ctx.call(f, [arg]), "check_grad").item())
        }
        let g = try transformErrors("check_grad") {
            try Autodiff.grad(at: [x]) { xs in
                try scalarResult(ctx.call(f, [TensorValue.wrap(xs[0])]), "check_grad")
            }[0]
        }
        let n = x.count
        let stride = Swift.max(1, n / 64)
        var maxAbs = 0.0, maxRel = 0.0, checked = 0
        var values = x.scalars
        try transformErrors("check_grad") {
            for i in Swift.stride(from: 0, to: n, by: stride) {
                let original = values[i]
                values[i] = original + Float(eps)
                let plus = try evaluate(Tensor(shape: x.shape, values: values))
                values[i] = original - Float(eps)
                let minus = try evaluate(Tensor(shape: x.shape, values: values))
                values[i] = original
                let numeric = (plus - minus) / (2 * eps)
                let analytic = Double(g.scalars[i])
                let err = Swift.abs(numeric - analytic)
                maxAbs = Swift.max(maxAbs, err)
                maxRel = Swift.max(maxRel, err / Swift.max(1e-3, Swift.abs(numeric), Swift.abs(analytic)))
                checked += 1
            }
        }
        return .record(RecordBox([
            ("ok", .bool(maxRel <= tol)), ("max_abs_error", .number(maxAbs)),
            ("max_rel_error", .number(maxRel)), ("checked", .number(Double(checked))),
        ]))
    }

    static func functionName(_ f: Value) -> String {
        switch f {
        case .function(let fn): return fn.name.isEmpty ? "fn" : fn.name
        case .native(let n): return n.name
        default: return "f"
        }
    }
}
