import Foundation

/// Elementwise functions of two tensors, with numpy broadcasting.
public enum BinaryKind: String, CaseIterable, Sendable {
    case add, sub, mul, div, pow, maximum, minimum
}

/// Elementwise comparisons: 1 where true, 0 where false (no derivative).
public enum CompareKind: String, CaseIterable, Sendable {
    case lt, le, gt, ge, eq, ne
}

struct BinaryPrim: Primitive {
    let kind: BinaryKind
    var name: String { kind.rawValue }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let shape = try Shape.broadcast(x[0].shape, x[1].shape, op: name)
        if let fast = vectorised(x[0], x[1], shape) { return fast }
        switch kind {
        case .add: return broadcastLoop(x[0], x[1], shape) { $0 + $1 }
        case .sub: return broadcastLoop(x[0], x[1], shape) { $0 - $1 }
        case .mul: return broadcastLoop(x[0], x[1], shape) { $0 * $1 }
        case .div: return broadcastLoop(x[0], x[1], shape) { $0 / $1 }
        case .pow: return broadcastLoop(x[0], x[1], shape) { Foundation.pow($0, $1) }
        case .maximum: return broadcastLoop(x[0], x[1], shape) { $0 >= $1 || $1.isNaN ? $0 : $1 }
        case .minimum: return broadcastLoop(x[0], x[1], shape) { $0 <= $1 || $1.isNaN ? $0 : $1 }
        }
    }

    /// The vectorised, threaded kernels for same-shape and tensor-with-scalar operands.
    func vectorised(_ a: Tensor, _ b: Tensor, _ shape: [Int]) -> Tensor? {
        let pa = a.storage.pointer, pb = b.storage.pointer
        if a.shape == shape && b.shape == shape {
            let y = Tensor(uninitialized: shape), o = y.storage.pointer, n = y.count
            switch kind {
            case .add: Kernels.add(pa, pb, o, count: n)
            case .sub: Kernels.sub(pa, pb, o, count: n)
            case .mul: Kernels.mul(pa, pb, o, count: n)
            case .div: Kernels.div(pa, pb, o, count: n)
            default: return nil
            }
            return y
        }
        if a.shape == shape && b.count == 1 {
            let y = Tensor(uninitialized: shape), o = y.storage.pointer, n = y.count, s = pb[0]
            switch kind {
            case .add: Kernels.addScalar(pa, s, o, count: n)
            case .sub: Kernels.addScalar(pa, -s, o, count: n)
            case .mul: Kernels.scale(pa, by: s, o, count: n)
            default: return nil
            }
            return y
        }
        if b.shape == shape && a.count == 1 {
            let y = Tensor(uninitialized: shape), o = y.storage.pointer, n = y.count, s = pa[0]
            switch kind {
            case .add: Kernels.addScalar(pb, s, o, count: n)
            case .mul: Kernels.scale(pb, by: s, o, count: n)
            default: return broadcastRun(b, a, shape, swapped: true)
            }
            return y
        }
        if a.shape == shape { return broadcastRun(a, b, shape, swapped: false) }
        if b.shape == shape { return broadcastRun(b, a, shape, swapped: true) }
        return nil
    }

    /// `full` (of the output shape) with `small` repeated or spread along contiguous runs
    /// (a bias row, a per-row statistic); `swapped` when `small` is the left operand.
    func broadcastRun(_ full: Tensor, _ small: Tensor, _ shape: [Int], swapped: Bool) -> Tensor? {
        guard let run = Kernels.broadcastRun(small.shape, to: shape) else { return nil }
        let y = Tensor(uninitialized: shape)
        let pf = full.storage.pointer, ps = small.storage.pointer, o = y.storage.pointer, n = y.count
        func go<Op: VectorZip>(_ op: Op) {
            switch run {
            case .repeating(let period): Kernels.zipRepeating(pf, ps, o, count: n, period: period, swapped: swapped, op)
            case .spreading(let inner): Kernels.zipSpreading(pf, ps, o, count: n, inner: inner, swapped: swapped, op)
            }
        }
        switch kind {
        case .add: go(AddOp())
        case .sub: go(SubOp())
        case .mul: go(MulOp())
        case .div: go(DivOp())
        default: return nil
        }
        return y
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let a = x[0], b = x[1]
        var ga: Tensor? = nil, gb: Tensor? = nil
        switch kind {
        case .add:
            if needs[0] { ga = g }
            if needs[1] { gb = g }
        case .sub:
            if needs[0] { ga = g }
            if needs[1] { gb = try neg(g) }
        case .mul:
            if needs[0] { ga = try mul(g, b) }
            if needs[1] { gb = try mul(g, a) }
        case .div:
            if needs[0] { ga = try div(g, b) }
            if needs[1] { gb = try neg(div(mul(g, y), b)) }
        case .pow:
            if needs[0] { ga = try mul(g, mul(b, pow(a, sub(b, 1)))) }
            if needs[1] { gb = try mul(g, mul(y, log(a))) }
        case .maximum, .minimum:
            let pickA = try compare(kind == .maximum ? .ge : .le, a, b)
            if needs[0] { ga = try mul(g, pickA) }
            if needs[1] { gb = try mul(g, sub(1, pickA)) }
        }
        if let t = ga { ga = try sumTo(t, a.shape) }
        if let t = gb { gb = try sumTo(t, b.shape) }
        return [ga, gb]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        let a = x[0], b = x[1]
        var parts: [Tensor] = []
        switch kind {
        case .add:
            if let ta = t[0] { parts.append(ta) }
            if let tb = t[1] { parts.append(tb) }
        case .sub:
            if let ta = t[0] { parts.append(ta) }
            if let tb = t[1] { parts.append(try neg(tb)) }
        case .mul:
            if let ta = t[0] { parts.append(try mul(ta, b)) }
            if let tb = t[1] { parts.append(try mul(a, tb)) }
        case .div:
            if let ta = t[0] { parts.append(try div(ta, b)) }
            if let tb = t[1] { parts.append(try neg(div(mul(tb, y), b))) }
        case .pow:
            if let ta = t[0] { parts.append(try mul(ta, mul(b, pow(a, sub(b, 1))))) }
            if let tb = t[1] { parts.append(try mul(tb, mul(y, log(a)))) }
        case .maximum, .minimum:
            let pickA = try compare(kind == .maximum ? .ge : .le, a, b)
            if let ta = t[0] { parts.append(try mul(ta, pickA)) }
            if let tb = t[1] { parts.append(try mul(tb, sub(1, pickA))) }
        }
        guard var total = parts.first else { return nil }
        for p in parts.dropFirst() { total = try add(total, p) }
        return try expand(total, y.shape)
    }
}

struct ComparePrim: Primitive {
    let kind: CompareKind
    var name: String { kind.rawValue }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let shape = try Shape.broadcast(x[0].shape, x[1].shape, op: name)
        switch kind {
        case .lt: return broadcastLoop(x[0], x[1], shape) { $0 < $1 ? 1 : 0 }
        case .le: return broadcastLoop(x[0], x[1], shape) { $0 <= $1 ? 1 : 0 }
        case .gt: return broadcastLoop(x[0], x[1], shape) { $0 > $1 ? 1 : 0 }
        case .ge: return broadcastLoop(x[0], x[1], shape) { $0 >= $1 ? 1 : 0 }
        case .eq: return broadcastLoop(x[0], x[1], shape) { $0 == $1 ? 1 : 0 }
        case .ne: return broadcastLoop(x[0], x[1], shape) { $0 != $1 ? 1 : 0 }
        }
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] { [nil, nil] }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? { nil }
}

/// where(cond, a, b): a where cond ≠ 0, else b (all three broadcast together).
struct WherePrim: Primitive {
    var name: String { "where" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let s1 = try Shape.broadcast(x[0].shape, x[1].shape, op: name)
        let shape = try Shape.broadcast(s1, x[2].shape, op: name)
        let c = try expandValue(x[0], shape, op: name), a = try expandValue(x[1], shape, op: name)
        let b = try expandValue(x[2], shape, op: name)
        let out = Tensor(uninitialized: shape)
        let pc = c.storage.pointer, pa = a.storage.pointer, pb = b.storage.pointer, o = out.storage.pointer
        for i in 0..<out.count { o[i] = pc[i] != 0 ? pa[i] : pb[i] }
        return out
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let mask = try compare(.ne, x[0], 0)
        let ga: Tensor? = needs[1] ? try sumTo(mul(g, mask), x[1].shape) : nil
        let gb: Tensor? = needs[2] ? try sumTo(mul(g, sub(1, mask)), x[2].shape) : nil
        return [nil, ga, gb]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard t[1] != nil || t[2] != nil else { return nil }
        let ta = try orZeros(t[1], x[1].shape)
        let tb = try orZeros(t[2], x[2].shape)
        return try select(x[0], ta, tb, outShape: y.shape)
    }
}
