/// Layer norm with its gain and bias as one primitive:
/// layer_norm_affine(x, g, b) = layer_norm(x)·g + b over the last axis (g, b of the last
/// axis' size). One pass per row instead of three (normalise, scale, shift), and the
/// recorded graph keeps only x and the output instead of two more activations per norm
/// (the forward-mode engine keeps the whole recorded forward pass alive for its sweep).
/// Its derivatives are composed from `layer_norm_jacobian`, `layer_norm_gain_grad`,
/// `layer_norm`, mul and sum, so it nests like everything else.
struct LayerNormAffinePrim: Primitive {
    let eps: Float
    var name: String { "layer_norm_affine" }

    func forward(_ xs: [Tensor]) throws(TensorError) -> Tensor {
        let x = xs[0], g = xs[1], b = xs[2]
        guard x.rank >= 1, x.shape[x.rank - 1] > 0, g.shape == [x.shape[x.rank - 1]], b.shape == g.shape else {
            throw TensorError(name, "needs x [..., D] (D ≥ 1) with gain and bias [D], got \(shapeString(x.shape)), \(shapeString(g.shape)) and \(shapeString(b.shape))")
        }
        let cols = x.shape[x.rank - 1]
        let out = Tensor(uninitialized: x.shape)
        Kernels.layerNormAffineRows(x.storage.pointer, g.storage.pointer, b.storage.pointer, out.storage.pointer,
                                    rows: x.count / cols, cols: cols, eps: eps)
        return out
    }

    func vjp(_ xs: [Tensor], _ y: Tensor, _ u: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let x = xs[0], g = xs[1]
        // The gain and bias gradients first, in the background when they can be
        // (`DeferredWork`: the worker runs them while the input gradient is computed).
        let ad = AD.state
        var gg: Tensor? = nil, gb: Tensor? = nil
        if needs[1] {
            gg = try DeferredWork.layerNormGainGrad(x, u, eps: eps, ad).orElse { () throws(TensorError) in
                try apply(LayerNormGainGradPrim(eps: eps), [x, u])
            }
        }
        if needs[2] { gb = try DeferredWork.columnSums(u, ad).orElse { () throws(TensorError) in try sumLeadingAxes(u) } }
        let gx: Tensor? = needs[0] ? try apply(LayerNormJacobianPrim(eps: eps), [x, mul(u, g)]) : nil
        return [gx, gg, gb]
    }

    func jvp(_ xs: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        let x = xs[0], g = xs[1]
        if let tx = t[0], let tg = t[1], let tb = t[2] {
            return try apply(LayerNormAffineTangentPrim(eps: eps), [x, g, tx, tg, tb])
        }
        var parts: [Tensor] = []
        if let tx = t[0] { parts.append(try mul(apply(LayerNormJacobianPrim(eps: eps), [x, tx]), g)) }
        if let tg = t[1] { parts.append(try mul(layerNorm(x, eps: eps), tg)) }
        if let tb = t[2] { parts.append(parts.isEmpty ? try expand(tb, y.shape) : tb) }
        guard var total = parts.first else { return nil }
        for p in parts.dropFirst() { total = try add(total, p) }
        return total
    }
}

/// Σ over every axis but the last (a norm gain's or bias' gradient), composed.
func sumLeadingAxes(_ t: Tensor) throws(TensorError) -> Tensor {
    try sum(t, axes: Array(0..<(t.rank - 1)))
}

/// layer_norm(x)·g + b over the last axis (differentiable; one fused kernel).
public func layerNormAffine(_ x: Tensor, _ g: Tensor, _ b: Tensor, eps: Float = 1e-5) throws(TensorError) -> Tensor {
    guard eps >= 0 else { throw TensorError("layer_norm_affine", "eps must be ≥ 0, got \(eps)") }
    return try apply(LayerNormAffinePrim(eps: eps), [x, g, b])
}

extension Kernels {
    /// out[r, :] = x̂·g + b with x̂ computed exactly as in `layerNormRows`.
    static func layerNormAffineRows(_ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                    _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float, threads: Int? = nil) {
        nonisolated(unsafe) let (x, g, b, out) = (x, g, b, out)
        forRows(rows: rows, cols: cols, threads: threads) { r in
            let xr = x + r * cols, orow = out + r * cols
            let (mu, rs) = rowMeanRstd(xr, cols: cols, eps: eps)
            let mv = F16(repeating: mu), rv = F16(repeating: rs)
            var i = 0
            while i + 16 <= cols {
                let xh = (load16(xr + i) - mv) * rv
                store16(xh * load16(g + i) + load16(b + i), orow + i)
                i += 16
            }
            while i < cols { orow[i] = ((xr[i] - mu) * rs) * g[i] + b[i]; i += 1 }
        }
    }
}
