/// Shape and layout ops, matmul, indexing, and the fused row ops.

public func reshape(_ x: Tensor, _ shape: [Int]) throws(TensorError) -> Tensor {
    var s = shape
    // One axis may be -1: inferred from the others.
    if let i = s.firstIndex(of: -1) {
        let bad = TensorError("reshape", "cannot reshape \(shapeString(x.shape)) to \(shapeString(shape))")
        var known = 1
        for (j, d) in s.enumerated() where j != i {
            guard d >= 0 else { throw bad }
            let (m, over) = known.multipliedReportingOverflow(by: d)
            guard !over else { throw bad }
            known = m
        }
        guard known > 0, x.count % known == 0 else { throw bad }
        s[i] = x.count / known
    }
    if s == x.shape { return x }
    return try apply(ReshapePrim(shape: s), [x])
}

public func permute(_ x: Tensor, _ perm: [Int]) throws(TensorError) -> Tensor {
    let p = try perm.map { a throws(TensorError) in try Shape.axis(a, rank: x.rank, op: "permute") }
    if p == Array(0..<x.rank) { return x }
    return try apply(PermutePrim(perm: p), [x])
}

/// Swaps two axes (default: the last two); an axis out of range for `x` is an error, so
/// a tensor of rank < 2 has no default pair (`x.T` leaves it unchanged instead).
public func transpose(_ x: Tensor, _ a: Int = -2, _ b: Int = -1) throws(TensorError) -> Tensor {
    let i = try Shape.axis(a, rank: x.rank, op: "transpose"), j = try Shape.axis(b, rank: x.rank, op: "transpose")
    var perm = Array(0..<x.rank)
    perm.swapAt(i, j)
    return try permute(x, perm)
}

/// Elements [start, end) with `step` along `axis` (Python-style negative and clamped bounds).
public func slice(_ x: Tensor, axis: Int, start: Int, end: Int, step: Int = 1) throws(TensorError) -> Tensor {
    let ax = try Shape.axis(axis, rank: x.rank, op: "slice")
    guard step >= 1 else { throw TensorError("slice", "step must be ≥ 1, got \(step)") }
    let n = x.shape[ax]
    func norm(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + n : i, 0), n) }
    let s = norm(start), e = Swift.max(norm(end), norm(start))
    if s == 0 && e == n && step == 1 { return x }
    return try apply(SlicePrim(axis: ax, start: s, end: e, step: step), [x])
}

public func concat(_ xs: [Tensor], axis: Int = 0) throws(TensorError) -> Tensor {
    guard let first = xs.first else { throw TensorError("concat", "needs at least one tensor") }
    let ax = try Shape.axis(axis, rank: first.rank, op: "concat")
    return try apply(ConcatPrim(axis: ax), xs)
}

/// Stacks equal-shaped tensors along a new axis.
public func stack(_ xs: [Tensor], axis: Int = 0) throws(TensorError) -> Tensor {
    guard let first = xs.first else { throw TensorError("stack", "needs at least one tensor") }
    let ax = try Shape.axis(axis, rank: first.rank + 1, op: "stack")
    var s = first.shape
    s.insert(1, at: ax)
    return try concat(xs.map { t throws(TensorError) in
        guard t.shape == first.shape else {
            throw TensorError("stack", "shapes \(shapeString(first.shape)) and \(shapeString(t.shape)) differ")
        }
        return try reshape(t, s)
    }, axis: ax)
}

/// Broadcasts to `shape` (numpy rules), materialised.
public func expand(_ x: Tensor, _ shape: [Int]) throws(TensorError) -> Tensor {
    if x.shape == shape { return x }
    return try apply(ExpandPrim(shape: shape), [x])
}

/// op(a) @ op(b) over the last two axes, batch axes broadcast. Rank-1 operands are treated
/// as a row (left) or column (right) vector and the added axis removed, as in numpy.
public func matmul(_ a: Tensor, _ b: Tensor, transA: Bool = false, transB: Bool = false) throws(TensorError) -> Tensor {
    if a.rank == 1 || b.rank == 1 {
        guard a.rank >= 1, b.rank >= 1 else {
            throw TensorError("matmul", "needs tensors of rank ≥ 1, got \(shapeString(a.shape)) and \(shapeString(b.shape))")
        }
        // Checked here so the error shows the caller's shapes, not the reshaped ones.
        let ka = a.rank == 1 ? a.count : a.shape[a.rank - (transA ? 2 : 1)]
        let kb = b.rank == 1 ? b.count : b.shape[b.rank - (transB ? 1 : 2)]
        guard ka == kb else {
            throw TensorError("matmul", "inner dimensions differ: \(shapeString(a.shape)) @ \(shapeString(b.shape)) (\(ka) vs \(kb))")
        }
        let a2 = a.rank == 1 ? try reshape(a, [1, a.count]) : a
        let b2 = b.rank == 1 ? try reshape(b, [b.count, 1]) : b
        let y = try matmul(a2, b2, transA: transA && a.rank > 1, transB: transB && b.rank > 1)
        var s = y.shape
        if b.rank == 1 { s.removeLast() }
        if a.rank == 1 { s.remove(at: s.count - (b.rank == 1 ? 1 : 2)) }
        return try reshape(y, s)
    }
    return try apply(MatmulPrim(transA: transA, transB: transB), [a, b])
}

/// Rows of `table` (axis 0) picked by `ids`: the embedding lookup.
public func gather(_ table: Tensor, _ ids: IndexTensor) throws(TensorError) -> Tensor {
    try apply(GatherPrim(ids: ids), [table])
}

/// Sums rows of `src` into a zero table of `rows` rows at `ids` (gather's adjoint).
public func scatterAdd(_ src: Tensor, _ ids: IndexTensor, rows: Int) throws(TensorError) -> Tensor {
    guard rows >= 0 else { throw TensorError("scatter_add", "row count must be ≥ 0, got \(rows)") }
    return try apply(ScatterAddPrim(ids: ids, rows: rows), [src])
}

/// x[..., idx]: one entry per row along the last axis.
public func takeLast(_ x: Tensor, _ idx: IndexTensor) throws(TensorError) -> Tensor {
    try apply(TakeLastPrim(idx: idx), [x])
}

/// Zeros of shape idx.shape + [classes] with `v` at [..., idx] (takeLast's adjoint).
public func putLast(_ v: Tensor, _ idx: IndexTensor, classes: Int) throws(TensorError) -> Tensor {
    guard classes >= 0 else { throw TensorError("put_last", "class count must be ≥ 0, got \(classes)") }
    return try apply(PutLastPrim(idx: idx, classes: classes), [v])
}

public func softmax(_ x: Tensor) throws(TensorError) -> Tensor { try apply(SoftmaxPrim(log: false), [x]) }
public func logSoftmax(_ x: Tensor) throws(TensorError) -> Tensor { try apply(SoftmaxPrim(log: true), [x]) }

/// Causal attention weights from scores [..., T, T]: for query row q, the softmax of
/// scale·scores over keys 0...q, and 0 for later keys (scale > 0).
public func causalSoftmax(_ scores: Tensor, scale: Float = 1) throws(TensorError) -> Tensor {
    try apply(CausalSoftmaxPrim(scale: scale), [scores])
}

/// scale · y ⊙ (v − Σ v⊙y) over the last axis: softmax's (symmetric) Jacobian at output y
/// applied to v — the VJP and JVP of softmax in one kernel.
public func softmaxJacobian(_ y: Tensor, _ v: Tensor, scale: Float = 1) throws(TensorError) -> Tensor {
    try apply(SoftmaxJacobianPrim(scale: scale), [y, v])
}

/// x·W + b for x [..., in], W [in, out], b [out] (a linear layer, the bias fused into the GEMM).
public func linear(_ x: Tensor, _ w: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
    try apply(LinearPrim(), [x, w, b])
}

/// x·W for x [..., in] (rank ≥ 2), W [in, out]: matmul's values, with `linear`'s
/// derivatives (a backward pass runs both products side by side, a forward-mode sweep's
/// t_x·W + x·t_W is one product sum with no add).
public func linear(_ x: Tensor, _ w: Tensor) throws(TensorError) -> Tensor {
    try apply(LinearPrim(bias: false), [x, w])
}

/// Layer normalisation over the last axis without scale/shift.
public func layerNorm(_ x: Tensor, eps: Float = 1e-5) throws(TensorError) -> Tensor {
    guard eps >= 0 else { throw TensorError("layer_norm", "eps must be ≥ 0, got \(eps)") }
    return try apply(LayerNormPrim(eps: eps), [x])
}

/// Per-token cross-entropy (no reduction): logits [..., C], targets [...] → [...].
public func crossEntropy(_ logits: Tensor, _ targets: IndexTensor) throws(TensorError) -> Tensor {
    try apply(CrossEntropyPrim(targets: targets), [logits])
}

extension Tensor {
    public func reshaped(_ shape: [Int]) throws(TensorError) -> Tensor { try reshape(self, shape) }
    /// The last two axes swapped; a scalar or vector unchanged (as numpy's `.T`).
    public var T: Tensor { get throws(TensorError) { rank < 2 ? self : try transpose(self) } }
}
