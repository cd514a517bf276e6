/// Layer norm's Jacobian applied to a vector, as one fused row kernel:
/// layer_norm_jacobian(x, v) = J(x)·v = r·(v − mean(v) − x̂·mean(v·x̂)) over the last axis,
/// with x̂ = layer_norm(x) and r = 1/√(var(x) + eps). J is symmetric, so this is both the
/// VJP and the JVP of layer norm: one pass per row instead of about a dozen composed ops
/// (it ran once per norm in every backward pass and every forward-mode sweep).
/// Its own derivatives are composed from primitives (itself included), so it nests.
struct LayerNormJacobianPrim: Primitive {
    let eps: Float
    var name: String { "layer_norm_jacobian" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0], v = x[1]
        let (rows, cols) = try layerNormPairRows(name, a, v, named: "v")
        let out = Tensor(uninitialized: a.shape)
        Kernels.layerNormJacobianRows(a.storage.pointer, v.storage.pointer, out.storage.pointer,
                                      rows: rows, cols: cols, eps: eps)
        return out
    }

    /// The pieces of the derivative that do not depend on the direction: x̂, r, v − mean(v),
    /// and c = mean(v·x̂) (all composed, so they can be differentiated again).
    func parts(_ x: Tensor, _ v: Tensor) throws(TensorError) -> (xh: Tensor, r: Tensor, a: Tensor, c: Tensor) {
        let xh = try layerNorm(x, eps: eps)
        let centered = try sub(x, mean(x, axes: [-1], keepDims: true))
        let r = try div(1, sqrt(add(mean(mul(centered, centered), axes: [-1], keepDims: true), eps)))
        let a = try sub(v, mean(v, axes: [-1], keepDims: true))
        let c = try mean(mul(v, xh), axes: [-1], keepDims: true)
        return (xh, r, a, c)
    }

    func jacobian(_ x: Tensor, _ w: Tensor) throws(TensorError) -> Tensor {
        try apply(self, [x, w])
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ u: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        var gx: Tensor? = nil, gv: Tensor? = nil
        if needs[0] {
            // ∂⟨u, f⟩/∂x = −r·mean(u·f)·x̂ − r·J(c·u + mean(u·x̂)·a), with f = J v.
            let (xh, r, a, c) = try parts(x[0], x[1])
            let first = try mul(mul(r, mean(mul(u, y), axes: [-1], keepDims: true)), xh)
            let inner = try add(mul(c, u), mul(mean(mul(u, xh), axes: [-1], keepDims: true), a))
            gx = try neg(add(first, mul(r, jacobian(x[0], inner))))
        }
        if needs[1] { gv = try jacobian(x[0], u) }
        return [gx, gv]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        var parts: [Tensor] = []
        if let tx = t[0] {
            // d(J v) along tx: −r·mean(x̂·tx)·f − r·(c·dx̂ + x̂·mean(a·dx̂)), dx̂ = J tx.
            let (xh, r, a, c) = try self.parts(x[0], x[1])
            let dxh = try jacobian(x[0], tx)
            let first = try mul(mul(r, mean(mul(xh, tx), axes: [-1], keepDims: true)), y)
            let second = try mul(r, add(mul(c, dxh), mul(xh, mean(mul(a, dxh), axes: [-1], keepDims: true))))
            parts.append(try neg(add(first, second)))
        }
        if let tv = t[1] { parts.append(try jacobian(x[0], tv)) }
        guard let head = parts.first else { return nil }
        return parts.count == 2 ? try add(head, parts[1]) : head
    }
}

extension Kernels {
    /// out[r, :] = rstd·(v − mean(v) − x̂·mean(v·x̂)) with x̂ = (x − mean)·rstd, the
    /// statistics computed as in `layerNormRows` (so x̂ equals the forward's output).
    static func layerNormJacobianRows(_ x: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
                                      _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float) {
        nonisolated(unsafe) let (x, v, out) = (x, v, out)
        forRows(rows: rows, cols: cols, threads: nil) { r in
            let vr = v + r * cols, orow = out + r * cols
            let (rs, vbar, c) = layerNormJacobianTerms(x + r * cols, vr, xhat: orow, cols: cols, eps: eps)
            let rv = F16(repeating: rs), bv = F16(repeating: vbar), cv = F16(repeating: c)
            var i = 0
            while i + 16 <= cols {
                store16(rv * (load16(vr + i) - bv - load16(orow + i) * cv), orow + i)
                i += 16
            }
            while i < cols { orow[i] = rs * (vr[i] - vbar - orow[i] * c); i += 1 }
        }
    }
}

extension Kernels {
    /// One row's terms of J(x)·v = rstd·(v − mean(v) − x̂·mean(v·x̂)): writes x̂ (computed
    /// as in `layerNormRows`, so it equals the forward's output) to `xhat` and returns
    /// rstd, mean(v) and mean(v·x̂). Shared by the Jacobian kernels, so they agree bit
    /// for bit.
    @inline(__always)
    static func layerNormJacobianTerms(_ xr: UnsafePointer<Float>, _ vr: UnsafePointer<Float>, xhat: UnsafeMutablePointer<Float>,
                                       cols: Int, eps: Float) -> (rstd: Float, vbar: Float, c: Float) {
        let n = Float(cols)
        let (mu, rs) = rowMeanRstd(xr, cols: cols, eps: eps)
        let mv = F16(repeating: mu), rv = F16(repeating: rs)
        var sv = F16(), svx = F16()
        var i = 0
        while i + 16 <= cols {
            let xh = (load16(xr + i) - mv) * rv, vv = load16(vr + i)
            store16(xh, xhat + i)
            sv += vv; svx = svx.addingProduct(vv, xh)
            i += 16
        }
        var tv: Float = 0, tvx: Float = 0
        while i < cols {
            let xh = (xr[i] - mu) * rs
            xhat[i] = xh
            tv += vr[i]; tvx += vr[i] * xh
            i += 1
        }
        return (rs, (sv.sum() + tv) / n, (svx.sum() + tvx) / n)
    }
}

/// The rows and columns of a layer-norm row kernel's two inputs: x and `other` ([..., D],
/// D ≥ 1) of one shape, else the primitive's error naming `other`.
func layerNormPairRows(_ op: String, _ x: Tensor, _ other: Tensor, named: String) throws(TensorError) -> (rows: Int, cols: Int) {
    guard x.rank >= 1, x.shape[x.rank - 1] > 0, other.shape == x.shape else {
        throw TensorError(op, "needs x and \(named) of one shape [..., D] (D ≥ 1), got \(shapeString(x.shape)) and \(shapeString(other.shape))")
    }
    let cols = x.shape[x.rank - 1]
    return (x.count / cols, cols)
}
