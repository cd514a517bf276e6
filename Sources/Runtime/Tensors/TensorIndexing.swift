import Language
import TensorCore

/// `t[i]`, `t[1:3, -1]`, `t[::2]`, `t[ids]`: indexing built from differentiable slices,
/// reshapes and gathers.
enum TensorIndexing {
    static func select(_ t: Tensor, _ index: [IndexComponent]) throws(NativeError) -> Tensor {
        // One list/tensor of integers selects rows (an embedding-style lookup).
        if index.count == 1, case .value(let v) = index[0], let ids = try rowIndices(v, rows: t.shape.first ?? 0) {
            return try TensorConvert.core { () throws(TensorError) in try gather(t, ids) }
        }
        guard index.count <= t.rank else {
            throw NativeError("too many indices: \(index.count) for a tensor of shape \(shapeString(t.shape))")
        }
        var result = t
        var dropped: [Int] = []
        for (axis, component) in index.enumerated() {
            let n = t.shape[axis]
            switch component {
            case .value(let v):
                guard case .number(let x) = v, x == x.rounded(), Swift.abs(x) < 1e15 else {
                    throw NativeError("a tensor index must be an integer, a slice or a list of integers, not \(ValueText.repr(v))")
                }
                let i = Int(x) < 0 ? Int(x) + n : Int(x)
                guard i >= 0 && i < n else {
                    throw NativeError("index \(Int(x)) is out of range for axis \(axis) of size \(n) (shape \(shapeString(t.shape)))")
                }
                result = try TensorConvert.core { () throws(TensorError) in try slice(result, axis: axis, start: i, end: i + 1) }
                dropped.append(axis)
            case .slice(let start, let stop, let step):
                let st = try bound(step, "slice step") ?? 1
                guard st >= 1 else {
                    throw NativeError("tensor slices need a positive step, got \(st)", hint: "reverse a tensor with t[::-1] is not supported; use indices instead")
                }
                let s = try bound(start, "slice start") ?? 0
                let e = try bound(stop, "slice stop") ?? n
                result = try TensorConvert.core { () throws(TensorError) in try slice(result, axis: axis, start: s, end: e, step: st) }
            }
        }
        if dropped.isEmpty { return result }
        let shape = result.shape.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        return try TensorConvert.core { () throws(TensorError) in try reshape(result, shape) }
    }

    private static func bound(_ v: Value?, _ what: String) throws(NativeError) -> Int? {
        guard let v, !v.isNil else { return nil }
        return try TensorConvert.int(v, what)
    }

    /// Row indices from a list of integers or a tensor of integer values; nil for a number.
    /// `item`/`unit` name them in errors ("row index"/"rows", "cross_entropy: target"/"classes");
    /// negative ones count from the end when `fromEnd` (rows, not class targets).
    static func rowIndices(_ v: Value, rows: Int, item: String = "row index", unit: String = "rows",
                           fromEnd: Bool = true) throws(NativeError) -> IndexTensor? {
        var values: [Float]
        var shape: [Int]
        switch v {
        case .list:
            let t = try TensorConvert.fromNested(v, "index list")
            values = t.scalars; shape = t.shape
        default:
            guard let t = TensorConvert.tensor(v) else { return nil }
            values = t.scalars; shape = t.shape
        }
        var ids: [Int32] = []
        ids.reserveCapacity(values.count)
        for x in values {
            guard x == x.rounded() else {
                throw NativeError("\(item) \(ValueText.number(Double(x))) is not an integer")
            }
            guard x < Float(rows), x >= (fromEnd ? -Float(rows) : 0) else {
                throw NativeError("\(item) \(ValueText.number(Double(x))) is out of range for \(rows) \(unit)")
            }
            ids.append(Int32(x < 0 ? x + Float(rows) : x))
        }
        return try TensorConvert.core { () throws(TensorError) in try IndexTensor(shape: shape, values: ids) }
    }
}
