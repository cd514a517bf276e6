import Language
import TensorCore

/// Numbers for charts and tables out of taalm values: lists, ranges and tensors, with
/// errors that name the argument and the element at fault.
enum PlotData {
    /// A vector: a list of numbers (a `nil` is a gap, a one-element tensor a number), a
    /// range, or a tensor with at most one axis longer than 1.
    static func numbers(_ v: Value, _ what: String) throws(NativeError) -> [Double] {
        switch v {
        case .list(let l):
            var out: [Double] = []
            out.reserveCapacity(l.items.count)
            for (i, item) in l.items.enumerated() {
                switch item {
                case .number(let d): out.append(d)
                case .bool(let b): out.append(b ? 1 : 0)
                case .null: out.append(.nan)
                default:
                    if let t = TensorConvert.tensor(item), t.count == 1 { out.append(Double(t.scalars[0])); continue }
                    throw NativeError("\(what)[\(i)] is \(article(item)), expected a number",
                                      hint: "plot lists of numbers, ranges or 1-D tensors")
                }
            }
            return out
        case .range(let r):
            guard r.count <= 10_000_000 else { throw NativeError("\(what): the range is too long to plot") }
            return (0..<Int(r.count)).map { r.element(Double($0)) }
        case .number(let d):
            return [d]
        default:
            if let t = TensorConvert.tensor(v) {
                guard t.shape.filter({ $0 != 1 }).count <= 1 else {
                    throw NativeError("\(what) must be a vector, got a tensor of shape \(shapeString(t.shape))",
                                      hint: "pass rows as separate series, e.g. plot({a: m[0], b: m[1]}), or flatten it")
                }
                return t.scalars.map(Double.init)
            }
            throw NativeError("\(what) must be a list of numbers, a range or a tensor, not \(v.typeName)")
        }
    }

    /// Rows of numbers: a 2-D tensor or a list of vectors (rows may differ in length).
    static func matrix(_ v: Value, _ what: String) throws(NativeError) -> [[Double]] {
        if let t = TensorConvert.tensor(v) {
            guard t.rank == 2 else {
                throw NativeError("\(what) must be a 2-D matrix, got a tensor of shape \(shapeString(t.shape))",
                                  hint: t.rank == 1 ? "reshape it to one row: x.reshape(1, -1)" : nil)
            }
            let cols = t.shape[1]
            let s = t.scalars
            return (0..<t.shape[0]).map { r in (0..<cols).map { Double(s[r * cols + $0]) } }
        }
        guard case .list(let l) = v else {
            throw NativeError("\(what) must be a 2-D tensor or a list of lists of numbers, not \(v.typeName)")
        }
        var rows: [[Double]] = []
        for (i, row) in l.items.enumerated() { rows.append(try numbers(row, "\(what)[\(i)]")) }
        return rows
    }

    /// True for values that hold several rows: a 2-D tensor, or a list whose first element is a list/vector.
    static func isMatrix(_ v: Value) -> Bool {
        if let t = TensorConvert.tensor(v) { return t.rank == 2 && t.shape[0] > 1 }
        guard case .list(let l) = v, let first = l.items.first else { return false }
        switch first {
        case .list, .range: return true
        default:
            if let t = TensorConvert.tensor(first) { return t.count > 1 }
            return false
        }
    }

    /// A list of strings (labels), or one string when `single` allows it.
    static func strings(_ v: Value, _ what: String) throws(NativeError) -> [String] {
        switch v {
        case .string(let s): return [s]
        case .list(let l):
            var out: [String] = []
            for (i, item) in l.items.enumerated() {
                switch item {
                case .string(let s): out.append(s)
                case .number(let d): out.append(ValueText.number(d))
                default: throw NativeError("\(what)[\(i)] is \(article(item)), expected a string")
                }
            }
            return out
        case .range(let r):
            guard r.count <= 1_000_000 else { throw NativeError("\(what): the range is too long") }
            return (0..<Int(r.count)).map { ValueText.number(r.element(Double($0))) }
        default:
            throw NativeError("\(what) must be a string or a list of strings, not \(v.typeName)")
        }
    }

    /// `[lo, hi]` with lo < hi, both finite.
    static func range(_ v: Value?, _ what: String) throws(NativeError) -> ClosedRange<Double>? {
        guard let v, !v.isNil else { return nil }
        let pair = try numbers(v, what)
        guard pair.count == 2, pair[0].isFinite, pair[1].isFinite, pair[0] < pair[1] else {
            throw NativeError("\(what) must be [low, high] with low < high, got \(ValueText.repr(v))")
        }
        return pair[0]...pair[1]
    }

    static func optionalString(_ v: Value?, _ what: String) throws(NativeError) -> String? {
        guard let v, !v.isNil else { return nil }
        guard case .string(let s) = v else { throw NativeError("\(what) must be a string, not \(v.typeName)") }
        return s
    }

    static func optionalBool(_ v: Value?, _ what: String) throws(NativeError) -> Bool? {
        guard let v, !v.isNil else { return nil }
        guard case .bool(let b) = v else { throw NativeError("\(what) must be true or false, not \(v.typeName)") }
        return b
    }

    static func article(_ v: Value) -> String {
        let name = v.typeName
        return (name.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + name
    }
}
