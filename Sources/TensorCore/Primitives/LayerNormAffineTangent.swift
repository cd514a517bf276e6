/// The forward-mode tangent of `layer_norm_affine` along all three inputs, as one row
/// kernel: layer_norm_affine_tangent(x, g, t_x, t_g, t_b) = g ⊙ J(x)·t_x + x̂ ⊙ t_g + t_b,
/// with J(x) layer norm's Jacobian and x̂ = layer_norm(x). A forward-mode sweep with every
/// parameter perturbed (the Train-Attention forward engine) ran six passes per norm for
/// this (the Jacobian, two products, normalising again, two adds); the kernel makes one,
/// with the same operations in the same order, so the numbers are the composed ones bit
/// for bit. Its own derivatives are composed from `layer_norm_jacobian`,
/// `layer_norm_gain_grad`, mul and sum, so it nests.
struct LayerNormAffineTangentPrim: Primitive {
    let eps: Float
    var name: String { "layer_norm_affine_tangent" }

    func forward(_ xs: [Tensor]) throws(TensorError) -> Tensor {
        guard xs.count == 5 else { throw TensorError(name, "needs x, g, t_x, t_g and t_b, got \(xs.count) inputs") }
        let x = xs[0], g = xs[1], tx = xs[2], tg = xs[3], tb = xs[4]
        let (rows, cols) = try layerNormPairRows(name, x, tx, named: "t_x")
        guard g.shape == [cols], tg.shape == [cols], tb.shape == [cols] else {
            throw TensorError(name, "needs g, t_g and t_b of shape [\(cols)], got \(shapeString(g.shape)), \(shapeString(tg.shape)) and \(shapeString(tb.shape))")
        }
        let out = Tensor(uninitialized: x.shape)
        Kernels.layerNormAffineTangentRows(x.storage.pointer, g.storage.pointer, tx.storage.pointer, tg.storage.pointer,
                                           tb.storage.pointer, out.storage.pointer, rows: rows, cols: cols, eps: eps)
        return out
    }

    var jacobian: LayerNormJacobianPrim { LayerNormJacobianPrim(eps: eps) }

    func vjp(_ xs: [Tensor], _ y: Tensor, _ u: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let x = xs[0], g = xs[1], tx = xs[2], tg = xs[3]
        // J(x)·t_x and u ⊙ g, each formed once for the gradients that use it.
        let jtx: Tensor? = needs[0] || needs[1] ? try apply(jacobian, [x, tx]) : nil
        let ug: Tensor? = needs[0] || needs[2] ? try mul(u, g) : nil
        var gx: Tensor? = nil, gg: Tensor? = nil, gtx: Tensor? = nil
        if needs[0], let jtx, let ug {
            // Through J(x)·t_x (cotangent g ⊙ u) and through x̂ (cotangent t_g ⊙ u; x̂'s VJP is J).
            let viaJacobian = try orZeros(jacobian.vjp([x, tx], jtx, ug, [true, false])[0], x.shape)
            gx = try add(viaJacobian, apply(jacobian, [x, mul(u, tg)]))
        }
        if needs[1], let jtx { gg = try sumLeadingAxes(mul(u, jtx)) }
        if needs[2], let ug { gtx = try apply(jacobian, [x, ug]) }
        let gtg: Tensor? = needs[3] ? try apply(LayerNormGainGradPrim(eps: eps), [x, u]) : nil
        let gtb: Tensor? = needs[4] ? try sumLeadingAxes(u) : nil
        return [gx, gg, gtx, gtg, gtb]
    }

    func jvp(_ xs: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        let x = xs[0], g = xs[1], tx = xs[2], tg = xs[3]
        let jtx: Tensor? = t[0] != nil || t[1] != nil ? try apply(jacobian, [x, tx]) : nil
        var parts: [Tensor] = []
        if let dx = t[0], let jtx {
            if let d = try jacobian.jvp([x, tx], jtx, [dx, nil]) { parts.append(try mul(d, g)) }
            parts.append(try mul(apply(jacobian, [x, dx]), tg))
        }
        if let dg = t[1], let jtx { parts.append(try mul(jtx, dg)) }
        if let dtx = t[2] { parts.append(try mul(apply(jacobian, [x, dtx]), g)) }
        if let dtg = t[3] { parts.append(try mul(layerNorm(x, eps: eps), dtg)) }
        if let dtb = t[4] { parts.append(parts.isEmpty ? try expand(dtb, y.shape) : dtb) }
        guard var total = parts.first else { return nil }
        for p in parts.dropFirst() { total = try add(total, p) }
        return total
    }
}

extension Kernels {
    /// out[r, :] = g ⊙ rstd·(t − mean(t) − x̂·mean(t·x̂)) + x̂ ⊙ t_g + t_b, with x̂ and the
    /// Jacobian's terms from `layerNormJacobianTerms` (as `layerNormJacobianRows`), then the gain,
    /// the gain's tangent and the bias' tangent applied in the composed ops' order.
    static func layerNormAffineTangentRows(_ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ t: UnsafePointer<Float>,
                                           _ tg: UnsafePointer<Float>, _ tb: UnsafePointer<Float>,
                                           _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float) {
        nonisolated(unsafe) let (x, g, t, tg, tb, out) = (x, g, t, tg, tb, out)
        forRows(rows: rows, cols: cols, threads: nil) { r in
            let tr = t + r * cols, orow = out + r * cols
            // x̂ is written to `out` first, then overwritten with the result.
            let (rs, vbar, c) = layerNormJacobianTerms(x + r * cols, tr, xhat: orow, cols: cols, eps: eps)
            let rv = F16(repeating: rs), bv = F16(repeating: vbar), cv = F16(repeating: c)
            var i = 0
            while i + 16 <= cols {
                let xh = load16(orow + i)
                let j = rv * (load16(tr + i) - bv - xh * cv)
                store16(j * load16(g + i) + xh * load16(tg + i) + load16(tb + i), orow + i)
                i += 16
            }
            while i < cols {
                let xh = orow[i]
                let j = rs * (tr[i] - vbar - xh * c)
                orow[i] = j * g[i] + xh * tg[i] + tb[i]
                i += 1
            }
        }
    }
}
