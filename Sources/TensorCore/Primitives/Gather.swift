/// Index ops: rows of a table (embedding lookup) and its adjoint scatter-add, and picking
/// one entry per row along the last axis (cross-entropy targets) and its adjoint.

/// gather(table [V, ...], ids S) → [S..., ...]: row ids[i] of the table for each i.
struct GatherPrim: Primitive {
    let ids: IndexTensor
    var name: String { "gather" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let table = x[0]
        guard table.rank >= 1 else { throw TensorError("gather", "needs a table of rank ≥ 1, got a scalar") }
        try ids.checkRange(table.shape[0], op: "gather")
        let row = table.count / max(table.shape[0], 1)
        let outShape = ids.shape + table.shape.dropFirst()
        _ = try Shape.validate(outShape, op: "gather")
        let out = Tensor(uninitialized: outShape)
        let p = table.storage.pointer, o = out.storage.pointer
        for (i, id) in ids.values.enumerated() {
            (o + i * row).update(from: p + Int(id) * row, count: row)
        }
        return out
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try apply(ScatterAddPrim(ids: ids, rows: x[0].shape[0]), [g])]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(self, [v])
    }
}

/// scatter_add(src [S..., ...], ids S, rows) → [rows, ...]: sums each src row into row ids[i].
struct ScatterAddPrim: Primitive {
    let ids: IndexTensor
    let rows: Int
    var name: String { "scatter_add" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let src = x[0]
        guard src.rank >= ids.shape.count, Array(src.shape.prefix(ids.shape.count)) == ids.shape else {
            throw TensorError("scatter_add", "source \(shapeString(src.shape)) does not start with the index shape \(shapeString(ids.shape))")
        }
        try ids.checkRange(rows, op: "scatter_add")
        let rest = Array(src.shape.dropFirst(ids.shape.count))
        let row = rest.reduce(1, *)
        let outShape = [rows] + rest
        _ = try Shape.validate(outShape, op: "scatter_add")
        let out = try Tensor.zeros(outShape)
        let p = src.storage.pointer, o = out.storage.pointer
        for (i, id) in ids.values.enumerated() {
            let dst = o + Int(id) * row, s = p + i * row
            for j in 0..<row { dst[j] += s[j] }
        }
        return out
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try apply(GatherPrim(ids: ids), [g])]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(self, [v])
    }
}

/// take_last(x [..., C], idx [...]) → [...]: x[..., idx].
struct TakeLastPrim: Primitive {
    let idx: IndexTensor
    var name: String { "take_last" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard a.rank >= 1, Array(a.shape.dropLast()) == idx.shape else {
            throw TensorError("take_last", "indices of shape \(shapeString(idx.shape)) do not match \(shapeString(a.shape)) without its last axis")
        }
        let c = a.shape[a.rank - 1]
        try idx.checkRange(c, op: "take_last")
        let out = Tensor(uninitialized: idx.shape)
        let p = a.storage.pointer, o = out.storage.pointer
        for (i, j) in idx.values.enumerated() { o[i] = p[i * c + Int(j)] }
        return out
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try apply(PutLastPrim(idx: idx, classes: x[0].shape[x[0].rank - 1]), [g])]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(self, [v])
    }
}

/// put_last(v [...], idx [...], C) → [..., C]: zeros with v at [..., idx].
struct PutLastPrim: Primitive {
    let idx: IndexTensor
    let classes: Int
    var name: String { "put_last" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let v = x[0]
        guard v.shape == idx.shape else {
            throw TensorError("put_last", "values of shape \(shapeString(v.shape)) do not match indices \(shapeString(idx.shape))")
        }
        try idx.checkRange(classes, op: "put_last")
        let outShape = idx.shape + [classes]
        _ = try Shape.validate(outShape, op: "put_last")
        let out = try Tensor.zeros(outShape)
        let p = v.storage.pointer, o = out.storage.pointer
        for (i, j) in idx.values.enumerated() { o[i * classes + Int(j)] = p[i] }
        return out
    }
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try apply(TakeLastPrim(idx: idx), [g])]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(self, [v])
    }
}
