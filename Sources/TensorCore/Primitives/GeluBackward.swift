/// GELU's derivative applied to a vector, as one fused elementwise kernel:
/// gelu_backward(x, v) = v ⊙ gelu'(x). It is both the VJP and the JVP of `gelu` (a
/// diagonal Jacobian), in one pass instead of gelu'(x) and a product with its temporary
/// (it ran on the MLP's hidden activations in every backward pass and forward-mode
/// sweep). Same numbers as mul(v, gelu_grad(x)). Its derivatives are composed (gelu''
/// from `gelu_grad`'s rule), so it nests.
struct GeluBackwardPrim: Primitive {
    var name: String { "gelu_backward" }

    func forward(_ xs: [Tensor]) throws(TensorError) -> Tensor {
        let x = xs[0], v = xs[1]
        guard v.shape == x.shape else {
            throw TensorError(name, "needs x and v of one shape, got \(shapeString(x.shape)) and \(shapeString(v.shape))")
        }
        let out = Tensor(uninitialized: x.shape)
        Kernels.zip(x.storage.pointer, v.storage.pointer, out.storage.pointer, count: x.count, threads: nil, chunk: Kernels.transcendentalChunk, GeluBackwardOp())
        return out
    }

    /// gelu''(x), composed.
    func second(_ x: Tensor) throws(TensorError) -> Tensor {
        try UnaryPrim(kind: .geluGrad).derivative(x, x)
    }

    func vjp(_ xs: [Tensor], _ y: Tensor, _ u: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let x = xs[0], v = xs[1]
        let gx: Tensor? = needs[0] ? try mul(mul(u, v), second(x)) : nil
        let gv: Tensor? = needs[1] ? try apply(self, [x, u]) : nil
        return [gx, gv]
    }

    func jvp(_ xs: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        let x = xs[0], v = xs[1]
        var parts: [Tensor] = []
        if let tx = t[0] { parts.append(try mul(mul(tx, v), second(x))) }
        if let tv = t[1] { parts.append(try apply(self, [x, tv])) }
        guard let head = parts.first else { return nil }
        return parts.count == 2 ? try add(head, parts[1]) : head
    }
}

/// v ⊙ gelu'(x) lane-wise (a = x, b = v).
struct GeluBackwardOp: VectorZip {
    @_transparent func apply(_ a: F16, _ b: F16) -> F16 { b * Kernels.geluGrad16(a) }
}
