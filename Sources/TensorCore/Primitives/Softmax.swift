/// Fused row ops over the last axis: softmax, log-softmax, layer norm, cross-entropy.
/// Their forward passes are single kernels; their derivative rules are composed from
/// differentiable primitives, so they nest like everything else.

struct SoftmaxPrim: Primitive {
    let log: Bool
    var name: String { log ? "log_softmax" : "softmax" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard a.rank >= 1 else { throw TensorError(name, "needs a tensor of rank ≥ 1, got a scalar") }
        let cols = a.shape[a.rank - 1]
        let out = Tensor(uninitialized: a.shape)
        Kernels.softmaxRows(a.storage.pointer, out.storage.pointer, rows: a.count / max(cols, 1), cols: cols, log: log)
        return out
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        if log {
            // d logsoftmax: g - softmax(x) · Σg
            return [try sub(g, mul(softmax(x[0]), sum(g, axes: [-1], keepDims: true)))]
        }
        return [try apply(SoftmaxJacobianPrim(), [y, g])]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        if log {
            return try sub(v, sum(mul(softmax(x[0]), v), axes: [-1], keepDims: true))
        }
        return try apply(SoftmaxJacobianPrim(), [y, v])
    }
}

/// (x - mean) / sqrt(var + eps) over the last axis (no affine part; scale and shift are
/// ordinary mul/add).
struct LayerNormPrim: Primitive {
    let eps: Float
    var name: String { "layer_norm" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard a.rank >= 1, a.shape[a.rank - 1] > 0 else {
            throw TensorError("layer_norm", "needs a non-empty last axis, got \(shapeString(a.shape))")
        }
        let cols = a.shape[a.rank - 1]
        let out = Tensor(uninitialized: a.shape)
        Kernels.layerNormRows(a.storage.pointer, out.storage.pointer, rows: a.count / cols, cols: cols, eps: eps)
        return out
    }

    /// The Jacobian is symmetric, so one fused primitive gives both the VJP and the JVP.
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try apply(LayerNormJacobianPrim(eps: eps), [x[0], g])]
    }
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(LayerNormJacobianPrim(eps: eps), [x[0], v])
    }
}

/// Per-row cross-entropy: logsumexp(logits) - logits[target], over the last axis.
/// logits [..., C], targets [...] → [...] (no reduction).
struct CrossEntropyPrim: Primitive {
    let targets: IndexTensor
    var name: String { "cross_entropy" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard a.rank >= 1, Array(a.shape.dropLast()) == targets.shape else {
            throw TensorError("cross_entropy", "targets of shape \(shapeString(targets.shape)) do not match logits \(shapeString(a.shape)) without the class axis")
        }
        let c = a.shape[a.rank - 1]
        guard c > 0 else { throw TensorError("cross_entropy", "logits have no classes: \(shapeString(a.shape))") }
        try targets.checkRange(c, op: "cross_entropy")
        let out = Tensor(uninitialized: targets.shape)
        Kernels.crossEntropyRows(a.storage.pointer, targets.values, out.storage.pointer, rows: targets.count, cols: c)
        return out
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        // (softmax(x) − onehot) · g in one fused kernel (a primitive with composed derivatives).
        return [try apply(CrossEntropyGradPrim(targets: targets), [x[0], g])]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try sub(sum(mul(softmax(x[0]), v), axes: [-1], keepDims: false),
                       apply(TakeLastPrim(idx: targets), [v]))
    }
}
