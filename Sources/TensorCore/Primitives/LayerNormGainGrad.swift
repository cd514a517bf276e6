/// The gradient of a layer norm's gain in one pass:
/// layer_norm_gain_grad(x [..., D], u [..., D]) → [D] = Σ over the rows of u ⊙ layer_norm(x).
///
/// It replaces three passes of `layer_norm_affine`'s backward (normalise x again, multiply
/// by u, sum the rows) and their two temporaries with one: each row's mean and 1/σ first,
/// then column sums of u·x̂ with x̂ formed on the fly. Every x̂, product and sum is the
/// composed ops' own (`layerNormRows`' formula, `sumColumns`' order: rows in order from 0),
/// so the result is bit-identical to them. Its derivatives are composed (`layer_norm`,
/// `layer_norm_jacobian`, mul, sum), so it nests.
struct LayerNormGainGradPrim: Primitive {
    let eps: Float
    var name: String { "layer_norm_gain_grad" }

    func forward(_ xs: [Tensor]) throws(TensorError) -> Tensor {
        let x = xs[0], u = xs[1]
        let (rows, cols) = try layerNormPairRows(name, x, u, named: "u")
        let out = Tensor(uninitialized: [cols])
        Kernels.layerNormGainGradColumns(x.storage.pointer, u.storage.pointer, out.storage.pointer,
                                         rows: rows, cols: cols, eps: eps)
        return out
    }

    func vjp(_ xs: [Tensor], _ y: Tensor, _ w: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let x = xs[0], u = xs[1]
        // f = Σ_r u_r ⊙ x̂_r: ∂/∂u = w ⊙ x̂ per row; ∂/∂x = layer norm's VJP of u ⊙ w.
        let gx: Tensor? = needs[0] ? try apply(LayerNormJacobianPrim(eps: eps), [x, mul(u, w)]) : nil
        let gu: Tensor? = needs[1] ? try mul(layerNorm(x, eps: eps), w) : nil
        return [gx, gu]
    }

    func jvp(_ xs: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        let x = xs[0], u = xs[1]
        var parts: [Tensor] = []
        if let tx = t[0] { parts.append(try sumLeadingAxes(mul(u, apply(LayerNormJacobianPrim(eps: eps), [x, tx])))) }
        if let tu = t[1] { parts.append(try sumLeadingAxes(mul(tu, layerNorm(x, eps: eps)))) }
        guard let head = parts.first else { return nil }
        return parts.count == 2 ? try add(head, parts[1]) : head
    }
}

extension Kernels {
    /// out[c] = Σ_r u[r, c]·x̂[r, c], rows in order from 0, with x̂ = (x − μ_r)/σ_r as in
    /// `layerNormRows`; columns in `sumColumns`' blocks (`forColumnBlocks`).
    static func layerNormGainGradColumns(_ x: UnsafePointer<Float>, _ u: UnsafePointer<Float>,
                                         _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float,
                                         threads: Int? = nil) {
        if cols <= 0 { return }
        if rows <= 0 { out.update(repeating: 0, count: cols); return }
        let stats = UnsafeMutablePointer<Float>.allocate(capacity: 2 * rows)
        defer { stats.deallocate() }
        nonisolated(unsafe) let (x, u, out, mean, rstd) = (x, u, out, stats, stats + rows)
        forRows(rows: rows, cols: cols, threads: threads) { r in
            (mean[r], rstd[r]) = rowMeanRstd(x + r * cols, cols: cols, eps: eps)
        }
        forColumnBlocks(rows: rows, cols: cols, threads: threads) { c0, c1 in
            if c1 - c0 == columnBlock {
                var s0 = F16(), s1 = F16(), s2 = F16(), s3 = F16()
                for r in 0..<rows {
                    let xr = x + r * cols + c0, ur = u + r * cols + c0
                    let mv = F16(repeating: mean[r]), rv = F16(repeating: rstd[r])
                    s0 += load16(ur) * ((load16(xr) - mv) * rv)
                    s1 += load16(ur + 16) * ((load16(xr + 16) - mv) * rv)
                    s2 += load16(ur + 32) * ((load16(xr + 32) - mv) * rv)
                    s3 += load16(ur + 48) * ((load16(xr + 48) - mv) * rv)
                }
                store16(s0, out + c0); store16(s1, out + c0 + 16); store16(s2, out + c0 + 32); store16(s3, out + c0 + 48)
                return
            }
            for c in c0..<c1 {
                var s: Float = 0
                for r in 0..<rows { s += u[r * cols + c] * ((x[r * cols + c] - mean[r]) * rstd[r]) }
                out[c] = s
            }
        }
    }
}
