/// Softmax's Jacobian applied to a vector, as one fused row kernel:
/// softmax_jacobian(y, v) = scale · y ⊙ (v − Σ v⊙y) over the last axis, with y a softmax
/// output. J = diag(y) − y yᵀ is symmetric, so this is both the VJP and the JVP of
/// softmax (and, with `scale`, of the scaled causal softmax): one pass per row instead
/// of four composed ops and their temporaries (it ran once per attention layer in every
/// backward pass and every forward-mode sweep). Its own derivatives are composed from
/// primitives (itself included), so it nests.
struct SoftmaxJacobianPrim: Primitive {
    var scale: Float = 1
    var name: String { "softmax_jacobian" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let y = x[0], v = x[1]
        guard y.rank >= 1, v.shape == y.shape else {
            throw TensorError(name, "needs y and v of one shape (rank ≥ 1), got \(shapeString(y.shape)) and \(shapeString(v.shape))")
        }
        let cols = y.shape[y.rank - 1]
        let out = Tensor(uninitialized: y.shape)
        if cols > 0 {
            Kernels.softmaxJacobianRows(y.storage.pointer, v.storage.pointer, out.storage.pointer,
                                        rows: y.count / cols, cols: cols, scale: scale)
        }
        return out
    }

    /// scale · Σ v⊙y, kept as [..., 1] (composed, so it can be differentiated again).
    func weighted(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        try sum(mul(a, b), axes: [-1], keepDims: true)
    }

    func vjp(_ x: [Tensor], _ out: Tensor, _ u: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let y = x[0], v = x[1]
        var gy: Tensor? = nil, gv: Tensor? = nil
        if needs[0] {
            // ∂⟨u, f⟩/∂y_j = scale · (u_j (v_j − Σ v⊙y) − v_j Σ u⊙y).
            let first = try mul(u, sub(v, weighted(v, y)))
            gy = try mul(scale, sub(first, mul(v, weighted(u, y))))
        }
        if needs[1] { gv = try apply(self, [y, u]) }
        return [gy, gv]
    }

    func jvp(_ x: [Tensor], _ out: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        let y = x[0], v = x[1]
        var parts: [Tensor] = []
        if let ty = t[0] {
            let first = try mul(ty, sub(v, weighted(v, y)))
            parts.append(try mul(scale, sub(first, mul(y, weighted(v, ty)))))
        }
        if let tv = t[1] { parts.append(try apply(self, [y, tv])) }
        guard let head = parts.first else { return nil }
        return parts.count == 2 ? try add(head, parts[1]) : head
    }
}

/// Causal softmax of attention scores in one kernel: x [..., T, T] → for query row q,
/// softmax over keys 0...q of scale·x, and exactly 0 for the keys after q. It replaces
/// the additive −1e9 mask, the scaling of the queries and the separate softmax of a
/// causal attention layer (the same result: the masked exponentials underflowed to 0).
/// VJP and JVP are `softmax_jacobian` with the scale (masked outputs are 0, so their
/// entries of the Jacobian vanish).
struct CausalSoftmaxPrim: Primitive {
    let scale: Float
    var name: String { "causal_softmax" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        guard a.rank >= 2, a.shape[a.rank - 1] == a.shape[a.rank - 2] else {
            throw TensorError(name, "needs scores [..., T, T] (square in the last two axes), got \(shapeString(a.shape))")
        }
        guard scale > 0, scale.isFinite else { throw TensorError(name, "scale must be positive and finite, got \(scale)") }
        let t = a.shape[a.rank - 1]
        let out = Tensor(uninitialized: a.shape)
        if t > 0 { Kernels.causalSoftmaxRows(a.storage.pointer, out.storage.pointer, rows: a.count / t, cols: t, scale: scale) }
        return out
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        [try apply(SoftmaxJacobianPrim(scale: scale), [y, g])]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let v = t[0] else { return nil }
        return try apply(SoftmaxJacobianPrim(scale: scale), [y, v])
    }
}

extension Kernels {
    /// out[r, :] = scale · y[r, :] ⊙ (v[r, :] − Σ_c v[r, c] y[r, c]).
    static func softmaxJacobianRows(_ y: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
                                    _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int, scale: Float,
                                    threads: Int? = nil) {
        nonisolated(unsafe) let (y, v, out) = (y, v, out)
        forRows(rows: rows, cols: cols, threads: threads) { r in
            let yr = y + r * cols, vr = v + r * cols, orow = out + r * cols
            var acc = F16()
            var i = 0
            while i + 16 <= cols { acc = acc.addingProduct(load16(yr + i), load16(vr + i)); i += 16 }
            var tail: Float = 0
            while i < cols { tail += yr[i] * vr[i]; i += 1 }
            let c = acc.sum() + tail
            let cv = F16(repeating: c), sv = F16(repeating: scale)
            i = 0
            while i + 16 <= cols { store16(sv * (load16(yr + i) * (load16(vr + i) - cv)), orow + i); i += 16 }
            while i < cols { orow[i] = scale * (yr[i] * (vr[i] - c)); i += 1 }
        }
    }

    /// Row r of each T×T block (query q = r mod T): softmax of scale·x over columns 0...q,
    /// zeros after. scale > 0 (so the maximum of scale·x is scale times that of x).
    static func causalSoftmaxRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                  rows: Int, cols: Int, scale: Float, threads: Int? = nil) {
        nonisolated(unsafe) let (x, out) = (x, out)
        forRows(rows: rows, cols: cols, threads: threads, chunk: transcendentalChunk) { r in
            let xr = x + r * cols, orow = out + r * cols
            let valid = r % cols + 1
            // The row's last, partial vector of valid keys (n lanes) is read and written
            // whole when the row has room, its other lanes masked: -inf for the maximum,
            // 0 for the exponentials (which the zero fill after the keys then rewrites).
            let full = valid - valid % 16, n = valid - full
            let wide = n > 0 && full + 16 <= cols
            let keep = lanes16 .< SIMD16<Int32>(repeating: Int32(n))
            var best = rowMax(xr, wide ? full : valid)
            if wide {
                let v = load16(xr + full).replacing(with: -.infinity, where: .!keep), b = F16(repeating: best)
                best = b.replacing(with: v, where: v .> b).max()
            }
            let m = F16(repeating: best), sv = F16(repeating: scale)
            var s = F16()
            var i = 0
            while i < full {
                let e = exp16((load16(xr + i) - m) * sv)
                store16(e, orow + i)
                s += e
                i += 16
            }
            if wide {
                let e = exp16((load16(xr + full) - m) * sv).replacing(with: 0, where: .!keep)
                store16(e, orow + full)
                s += e
            } else if n > 0 {
                var e = exp16((loadPartial(xr + full, n) - m) * sv)
                for l in n..<16 { e[l] = 0 }
                storePartial(e, orow + full, n)
                s += e
            }
            let inv = F16(repeating: 1 / s.sum())
            let end = wide ? full + 16 : full
            i = 0
            while i < end { store16(load16(orow + i) * inv, orow + i); i += 16 }
            if !wide { for j in full..<valid { orow[j] *= inv[0] } }
            (orow + valid).update(repeating: 0, count: cols - valid)
        }
    }
}
