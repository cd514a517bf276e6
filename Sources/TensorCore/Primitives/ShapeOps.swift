/// Ops that move values without arithmetic: reshape, permute, slice and its adjoint pad,
/// concat, expand (broadcast to a shape), identity.

/// Reshape of a value (shares storage; no graph).
func reshapeValue(_ x: Tensor, _ shape: [Int]) throws(TensorError) -> Tensor {
    let n = try Shape.validate(shape, op: "reshape")
    guard n == x.count else {
        throw TensorError("reshape", "cannot reshape \(shapeString(x.shape)) (\(x.count) elements) to \(shapeString(shape)) (\(n) elements)")
    }
    return Tensor(shape: shape, storage: x.storage)
}

/// Broadcast of a value to `shape`, materialised (no graph); errors name `op` (the
/// primitive that asked for the broadcast: expand, where, matmul).
func expandValue(_ x: Tensor, _ shape: [Int], op: String = "expand") throws(TensorError) -> Tensor {
    if x.shape == shape { return x }
    // `broadcast` also checks the size of `shape`.
    let target = try Shape.broadcast(x.shape, shape, op: op)
    guard target == shape else {
        throw TensorError(op, "cannot expand \(shapeString(x.shape)) to \(shapeString(shape))")
    }
    let zero = Tensor(shape: [], storage: Storage(zeros: 1))
    return broadcastLoop(x, zero, shape) { a, _ in a }
}

struct ReshapePrim: Primitive {
    let shape: [Int]
    var name: String { "reshape" }
    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor { try reshapeValue(x[0], shape) }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try reshape(g, x[0].shape)]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try reshape(v, shape)
    }
}

struct IdentityPrim: Primitive {
    var name: String { "identity" }
    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor { Tensor(shape: x[0].shape, storage: x[0].storage) }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] { [g] }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? { t[0] }
}

struct PermutePrim: Primitive {
    let perm: [Int]
    var name: String { "permute" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard perm.count == a.rank, Set(perm) == Set(0..<a.rank) else {
            throw TensorError("permute", "\(perm) is not a permutation of the axes of \(shapeString(a.shape))")
        }
        let outShape = perm.map { a.shape[$0] }
        let out = Tensor(uninitialized: outShape)
        let n = a.count
        if n == 0 { return out }
        let inStrides = Shape.strides(a.shape)
        let src = perm.map { inStrides[$0] }  // input stride along each output axis
        let rank = outShape.count
        let p = a.storage.pointer, o = out.storage.pointer
        if rank == 0 { o[0] = p[0]; return out }
        let inner = outShape[rank - 1], innerStride = src[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var off = 0, pos = 0
        while pos < n {
            for j in 0..<inner { o[pos + j] = p[off + j * innerStride] }
            pos += inner
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                off += src[axis]
                if index[axis] < outShape[axis] { break }
                off -= src[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    var inverse: [Int] {
        var inv = [Int](repeating: 0, count: perm.count)
        for (i, p) in perm.enumerated() { inv[p] = i }
        return inv
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try permute(g, inverse)]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try permute(v, perm)
    }
}

/// Elements start, start+step, ... below end along one axis (0 ≤ start ≤ end ≤ size, step ≥ 1).
struct SlicePrim: Primitive {
    let axis: Int, start: Int, end: Int, step: Int
    var name: String { "slice" }
    /// ⌈(end − start) / step⌉, written so that no step (up to Int.max) overflows.
    var length: Int { end > start ? (end - start - 1) / step + 1 : 0 }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard axis >= 0, axis < a.rank, start >= 0, end <= a.shape[axis], start <= end || length == 0, step >= 1 else {
            throw TensorError("slice", "range \(start)..<\(end) (step \(step)) does not fit axis \(axis) of \(shapeString(a.shape))")
        }
        var outShape = a.shape
        outShape[axis] = length
        let out = Tensor(uninitialized: outShape)
        let outer = a.shape[..<axis].reduce(1, *), inner = a.shape[(axis + 1)...].reduce(1, *)
        let size = a.shape[axis]
        let p = a.storage.pointer, o = out.storage.pointer
        for i in 0..<outer {
            for j in 0..<length {
                (o + (i * length + j) * inner).update(from: p + (i * size + start + j * step) * inner, count: inner)
            }
        }
        return out
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try apply(PadPrim(axis: axis, start: start, step: step, size: x[0].shape[axis]), [g])]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(self, [v])
    }
}

/// The adjoint of slice: places the input along `axis` at start, start+step, ... of a
/// zero tensor whose axis has `size` elements.
struct PadPrim: Primitive {
    let axis: Int, start: Int, step: Int, size: Int
    var name: String { "pad" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard axis >= 0, axis < a.rank else {
            throw TensorError("pad", "axis \(axis) is out of range for a tensor of rank \(a.rank)")
        }
        let len = a.shape[axis]
        // The last position, start + (len − 1)·step, checked without overflow.
        let (span, over) = (len - 1).multipliedReportingOverflow(by: step)
        guard step >= 1, start >= 0, size >= 0, len == 0 || (!over && span < size - start) else {
            throw TensorError("pad", "\(len) elements from \(start) (step \(step)) do not fit an axis of \(size)")
        }
        var outShape = a.shape
        outShape[axis] = size
        _ = try Shape.validate(outShape, op: "pad")
        let out = try Tensor.zeros(outShape)
        let outer = a.shape[..<axis].reduce(1, *), inner = a.shape[(axis + 1)...].reduce(1, *)
        let p = a.storage.pointer, o = out.storage.pointer
        for i in 0..<outer {
            for j in 0..<len {
                (o + (i * size + start + j * step) * inner).update(from: p + (i * len + j) * inner, count: inner)
            }
        }
        return out
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let len = x[0].shape[axis]
        return [try apply(SlicePrim(axis: axis, start: start, end: start + (len - 1) * step + 1, step: step), [g])]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(self, [v])
    }
}

struct ConcatPrim: Primitive {
    let axis: Int
    var name: String { "concat" }

    /// The shape of the inputs joined along `axis`, checked (rank, other axes, size).
    func outputShape(_ shapes: [[Int]]) throws(TensorError) -> [Int] {
        guard let first = shapes.first else { throw TensorError("concat", "needs at least one tensor") }
        var outShape = first
        guard axis >= 0 && axis < first.count else {
            throw TensorError("concat", "axis \(axis) is out of range for rank \(first.count)")
        }
        outShape[axis] = 0
        for shape in shapes {
            var s = shape
            guard s.count == first.count else {
                throw TensorError("concat", "shapes \(shapes.map(shapeString).joined(separator: ", ")) differ in rank")
            }
            s[axis] = first[axis]
            guard s == first else {
                throw TensorError("concat", "shapes \(shapes.map(shapeString).joined(separator: ", ")) differ outside axis \(axis)")
            }
            let (sum, over) = outShape[axis].addingReportingOverflow(shape[axis])
            guard !over else { throw TensorError("concat", "the joined axis \(axis) has too many elements") }
            outShape[axis] = sum
        }
        _ = try Shape.validate(outShape, op: "concat")
        return outShape
    }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let outShape = try outputShape(x.map(\.shape))
        let first = x[0]
        let out = Tensor(uninitialized: outShape)
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        let total = outShape[axis]
        var offset = 0
        for t in x {
            let len = t.shape[axis]
            for i in 0..<outer {
                (out.storage.pointer + (i * total + offset) * inner)
                    .update(from: t.storage.pointer + i * len * inner, count: len * inner)
            }
            offset += len
        }
        return out
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        var out: [Tensor?] = []
        var offset = 0
        for (i, t) in x.enumerated() {
            let len = t.shape[axis]
            out.append(needs[i] ? try apply(SlicePrim(axis: axis, start: offset, end: offset + len, step: 1), [g]) : nil)
            offset += len
        }
        return out
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        var ts: [Tensor] = []
        for (i, ti) in t.enumerated() { ts.append(try orZeros(ti, x[i].shape)) }
        return try apply(self, ts)
    }
}

struct ExpandPrim: Primitive {
    let shape: [Int]
    var name: String { "expand" }
    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor { try expandValue(x[0], shape) }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try sumTo(g, x[0].shape)]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try expand(v, shape)
    }
}

/// A tangent, or zeros of `shape` when it is absent.
func orZeros(_ t: Tensor?, _ shape: [Int]) throws(TensorError) -> Tensor {
    if let t { return t }
    return try Tensor.zeros(shape)
}
