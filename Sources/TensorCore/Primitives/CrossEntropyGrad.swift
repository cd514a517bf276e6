/// The cross-entropy VJP as one fused row kernel:
/// cross_entropy_grad(logits [..., C], g [...]) = (softmax(logits) − onehot(targets)) · g[..., None].
/// It replaces four passes over the logits (softmax, scale, one-hot, subtract) in the
/// backward pass of every language-model step. Its own derivatives are composed from
/// primitives (softmax, sum, take_last, put_last), so it nests like everything else.
struct CrossEntropyGradPrim: Primitive {
    let targets: IndexTensor
    var name: String { "cross_entropy_grad" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0], g = x[1]
        guard a.rank >= 1, Array(a.shape.dropLast()) == targets.shape, g.shape == targets.shape else {
            throw TensorError(name, "logits \(shapeString(a.shape)), cotangent \(shapeString(g.shape)) and targets \(shapeString(targets.shape)) do not fit together")
        }
        let c = a.shape[a.rank - 1]
        guard c > 0 else { throw TensorError(name, "logits have no classes: \(shapeString(a.shape))") }
        try targets.checkRange(c, op: name)
        let out = Tensor(uninitialized: a.shape)
        Kernels.crossEntropyGradRows(a.storage.pointer, targets.values, g.storage.pointer, out.storage.pointer,
                                     rows: targets.count, cols: c)
        return out
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ ct: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let s = try softmax(x[0])
        var gx: Tensor? = nil, gg: Tensor? = nil
        if needs[0] {
            // Softmax's VJP applied to ct · g (the one-hot part does not depend on x).
            let h = try mul(ct, reshape(x[1], x[1].shape + [1]))
            gx = try apply(SoftmaxJacobianPrim(), [s, h])
        }
        if needs[1] {
            gg = try sub(sum(mul(ct, s), axes: [-1]), apply(TakeLastPrim(idx: targets), [ct]))
        }
        return [gx, gg]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        let s = try softmax(x[0])
        let c = x[0].shape[x[0].rank - 1]
        var parts: [Tensor] = []
        if let tx = t[0] {
            let ds = try apply(SoftmaxJacobianPrim(), [s, tx])
            parts.append(try mul(ds, reshape(x[1], x[1].shape + [1])))
        }
        if let tg = t[1] {
            parts.append(try sub(mul(s, reshape(tg, tg.shape + [1])), apply(PutLastPrim(idx: targets, classes: c), [tg])))
        }
        guard let first = parts.first else { return nil }
        return parts.count == 2 ? try add(first, parts[1]) : first
    }
}

extension Kernels {
    /// out[r, :] = softmax(x[r, :]) · g[r], then out[r, targets[r]] -= g[r]: the same
    /// operations, in the same order, as the composed softmax · g − one-hot · g.
    static func crossEntropyGradRows(_ x: UnsafePointer<Float>, _ targets: [Int32], _ g: UnsafePointer<Float>,
                                     _ out: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        targets.withUnsafeBufferPointer { tb in
            nonisolated(unsafe) let (x, g, out, t) = (x, g, out, tb.baseAddress!)
            forRows(rows: rows, cols: cols, threads: nil, chunk: transcendentalChunk) { r in
                let xr = x + r * cols, orow = out + r * cols
                let inv = 1 / rowExpSum(xr, orow, cols, rowMax(xr, cols))
                let iv = F16(repeating: inv), gv = F16(repeating: g[r])
                var i = 0
                while i + 16 <= cols { store16(load16(orow + i) * iv * gv, orow + i); i += 16 }
                while i < cols { orow[i] = orow[i] * inv * g[r]; i += 1 }
                let k = Int(t[r])
                orow[k] = orow[k] - g[r]
            }
        }
    }
}
