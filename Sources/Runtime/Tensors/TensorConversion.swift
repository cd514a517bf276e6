import Language
import TensorCore

/// Conversions between taalm values and tensors, with errors that say what to do.
enum TensorConvert {
    static func error(_ e: TensorError) -> NativeError {
        NativeError("\(e.op): \(e.message)")
    }

    /// Runs a core call, turning its error into a taalm error.
    static func core<T>(_ body: () throws(TensorError) -> T) throws(NativeError) -> T {
        do { return try body() } catch { throw Self.error(error) }
    }

    /// A float32 as the number a reader expects: its shortest decimal form (1.28, not
    /// 1.2799999713897705), so numbers leaving tensors print as they were written.
    static func number(_ f: Float) -> Value {
        guard f.isFinite, f != f.rounded() else { return .number(Double(f)) }
        return .number(Double(f.description) ?? Double(f))
    }

    /// The tensor held by a value, if it is one.
    static func tensor(_ v: Value) -> Tensor? {
        if case .object(let o) = v, let t = o as? TensorValue { return t.tensor }
        return nil
    }

    /// A tensor from a tensor, a number, a bool or a (nested, rectangular) list of numbers.
    static func toTensor(_ v: Value, _ what: String) throws(NativeError) -> Tensor {
        switch v {
        case .number(let d): return Tensor.scalar(Float(d))
        case .bool(let b): return Tensor.scalar(b ? 1 : 0)
        case .list, .range: return try fromNested(v, what)
        default:
            if let t = tensor(v) { return t }
            throw NativeError("\(what) must be a tensor, a number or a list of numbers, not \(v.typeName)")
        }
    }

    /// The most axes a tensor made from nested lists may have: deeper nesting (or a list
    /// that contains itself) is an error rather than an endless walk.
    static let maxNestedRank = 32

    /// A tensor from nested lists (or ranges) of numbers; rows must have equal lengths.
    static func fromNested(_ v: Value, _ what: String) throws(NativeError) -> Tensor {
        var shape: [Int] = []
        func addAxis(_ n: Int) throws(NativeError) {
            guard shape.count < maxNestedRank else {
                throw NativeError("\(what): lists nested more than \(maxNestedRank) deep",
                                  hint: "a tensor has at most \(maxNestedRank) axes; check that no list contains itself")
            }
            shape.append(n)
        }
        var probe = v
        while true {
            switch probe {
            case .list(let l):
                try addAxis(l.items.count)
                guard let first = l.items.first else { break }
                probe = first
                continue
            case .range(let r):
                guard r.count.isFinite, r.count <= Double(Shape.maxElements) else {
                    throw NativeError("\(what): the range is too long to become a tensor")
                }
                try addAxis(Int(r.count))
            default: break
            }
            break
        }
        // The element count before the walk: lists sharing rows can describe more
        // elements than memory holds.
        _ = try core { () throws(TensorError) in try Shape.validate(shape, op: what) }
        var flat: [Float] = []
        var traced: [(Int, Tensor)] = []
        try collect(v, depth: 0, shape: shape, into: &flat, traced: &traced, what: what, path: [])
        if traced.isEmpty { return try core { () throws(TensorError) in try Tensor(shape: shape, values: flat) } }
        return try core { () throws(TensorError) in try assemble(flat, traced, shape) }
    }

    /// `tensor([x, 2 * x])` inside a transform: the elements a transform follows are spliced
    /// between constant runs with differentiable ops, so gradients flow back to them.
    private static func assemble(_ flat: [Float], _ traced: [(Int, Tensor)], _ shape: [Int]) throws(TensorError) -> Tensor {
        var pieces: [Tensor] = []
        var start = 0
        for (i, t) in traced {
            if i > start { pieces.append(try Tensor(shape: [i - start], values: Array(flat[start..<i]))) }
            pieces.append(try reshape(t, [1]))
            start = i + 1
        }
        if flat.count > start { pieces.append(try Tensor(shape: [flat.count - start], values: Array(flat[start...]))) }
        return try reshape(try concat(pieces, axis: 0), shape)
    }

    private static func collect(_ v: Value, depth: Int, shape: [Int], into flat: inout [Float], traced: inout [(Int, Tensor)],
                                what: String, path: [Int]) throws(NativeError) {
        let at = path.isEmpty ? "" : " at " + path.map { "[\($0)]" }.joined()
        if depth == shape.count {
            switch v {
            case .number(let d): flat.append(Float(d))
            case .bool(let b): flat.append(b ? 1 : 0)
            default:
                if let t = tensor(v), t.count == 1 {
                    if t.isTraced { traced.append((flat.count, t)) }
                    flat.append(t.scalars[0])
                    return
                }
                throw NativeError("\(what): expected a number\(at), found \(v.typeName)",
                                  hint: "nested lists must be rectangular and hold numbers only")
            }
            return
        }
        switch v {
        case .list(let l):
            guard l.items.count == shape[depth] else {
                throw NativeError("\(what): ragged nested list: row\(at) has \(l.items.count) elements, expected \(shape[depth])",
                                  hint: "every row of a tensor literal must have the same length")
            }
            for (i, item) in l.items.enumerated() {
                try collect(item, depth: depth + 1, shape: shape, into: &flat, traced: &traced, what: what, path: path + [i])
            }
        case .range(let r):
            guard Int(r.count) == shape[depth] else {
                throw NativeError("\(what): ragged nested list\(at)")
            }
            for k in 0..<Int(r.count) { flat.append(Float(r.element(Double(k)))) }
        default:
            throw NativeError("\(what): expected a list\(at), found \(v.typeName)",
                              hint: "nested lists must be rectangular and hold numbers only")
        }
    }

    /// A shape from `(2, 3)` positional numbers or one list `[2, 3]`.
    static func shape(_ values: [Value], _ what: String) throws(NativeError) -> [Int] {
        var dims = values
        if values.count == 1, case .list(let l) = values[0] { dims = l.items }
        var shape: [Int] = []
        for d in dims {
            guard case .number(let x) = d, x == x.rounded(), x >= 0, x < 9e15 else {
                throw NativeError("\(what): a shape is a list of non-negative integers, got \(ValueText.repr(d))")
            }
            shape.append(Int(x))
        }
        return shape
    }

    /// An optional axis list from `axis: 0` or `axis: [0, 1]` (nil = all axes).
    static func axes(_ v: Value?, _ what: String) throws(NativeError) -> [Int]? {
        guard let v, !v.isNil else { return nil }
        switch v {
        case .number(let x):
            guard x == x.rounded(), Swift.abs(x) < 1e9 else { throw NativeError("\(what): axis must be an integer, got \(ValueText.number(x))") }
            return [Int(x)]
        case .list(let l):
            var out: [Int] = []
            for item in l.items {
                guard case .number(let x) = item, x == x.rounded(), Swift.abs(x) < 1e9 else {
                    throw NativeError("\(what): axes must be integers, got \(ValueText.repr(item))")
                }
                out.append(Int(x))
            }
            return out
        default:
            throw NativeError("\(what): axis must be an integer or a list of integers, not \(v.typeName)")
        }
    }

    /// An integer from a number value.
    static func int(_ v: Value, _ what: String) throws(NativeError) -> Int {
        guard case .number(let x) = v, x == x.rounded(), Swift.abs(x) < 1e15 else {
            throw NativeError("\(what) must be an integer, got \(ValueText.repr(v))")
        }
        return Int(x)
    }

    static func bool(_ v: Value?, default d: Bool, _ what: String) throws(NativeError) -> Bool {
        guard let v, !v.isNil else { return d }
        guard case .bool(let b) = v else { throw NativeError("\(what) must be true or false, not \(v.typeName)") }
        return b
    }
}
