/// A linear layer's affine map as one primitive: linear(x, W, b) = x·W + b, with x of
/// shape [..., in], W [in, out] and b [out]. The GEMM seeds each output tile with the
/// bias, so the bias add costs no separate pass over the result (it ran after every
/// projection of every transformer block).
///
/// In general it sums several products onto one output, Σ_i x_i·W_i (+ b): inputs
/// [x_1, W_1, ..., x_k, W_k] followed by b when `bias`. Its JVP is one such sum
/// (t_x·W + x·t_W + t_b), so a forward-mode sweep through a linear layer is a single
/// output with no separate adds. Its derivatives are composed from matmul, sum and
/// itself, so it nests like everything else.
struct LinearPrim: Primitive {
    var pairs = 1
    var bias = true
    var name: String { "linear" }

    func shapes(_ xs: [Tensor]) throws(TensorError) -> (lead: [Int], out: Int) {
        let bad = TensorError("linear", "expects x [..., in] (rank ≥ 2), W [in, out] and b [out], got \(xs.map { shapeString($0.shape) }.joined(separator: ", "))")
        guard pairs >= 1, xs.count == 2 * pairs + (bias ? 1 : 0) else { throw bad }
        let lead = Array(xs[0].shape.dropLast()), out = xs[1].rank == 2 ? xs[1].shape[1] : -1
        for i in 0..<pairs {
            let x = xs[2 * i], w = xs[2 * i + 1]
            guard x.rank >= 2, w.rank == 2, Array(x.shape.dropLast()) == lead,
                  x.shape[x.rank - 1] == w.shape[0], w.shape[1] == out else { throw bad }
        }
        if bias { guard xs[2 * pairs].shape == [out] else { throw bad } }
        return (lead, out)
    }

    func forward(_ xs: [Tensor]) throws(TensorError) -> Tensor {
        let (lead, n) = try shapes(xs)
        let outShape = lead + [n]
        _ = try Shape.validate(outShape, op: "linear")
        let out = Tensor(uninitialized: outShape)
        let rows = n == 0 ? 0 : out.count / n
        let o = out.storage.pointer
        let pb: UnsafePointer<Float>? = bias ? UnsafePointer(xs[2 * pairs].storage.pointer) : nil
        var terms: [Kernels.GEMMTerm] = []
        for i in 0..<pairs {
            let x = xs[2 * i], w = xs[2 * i + 1], k = w.shape[0]
            terms.append(Kernels.GEMMTerm(a: x.storage.pointer, lda: Swift.max(k, 1), b: w.storage.pointer, ldb: Swift.max(n, 1), k: k))
        }
        Kernels.sgemmSum(terms, m: rows, n: n, c: o, ldc: Swift.max(n, 1), bias: pb)
        return out
    }

    func vjp(_ xs: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let n = y.shape[y.rank - 1]
        let g2 = try reshape(g, [g.count / Swift.max(n, 1), n])
        var grads: [Tensor?] = []
        // Outside a recorded or forward-mode computation the two products are plain
        // kernels (`backwardPair`) instead of two matmul primitives.
        let plain = !AD.recording && AD.forwardLevel == 0
        for i in 0..<pairs {
            let x = xs[2 * i], w = xs[2 * i + 1], k = w.shape[0]
            if plain && needs[2 * i] && needs[2 * i + 1] {
                grads += backwardPair(x, w, g)
                continue
            }
            grads.append(needs[2 * i] ? try matmul(g, w, transB: true) : nil)
            grads.append(needs[2 * i + 1] ? try matmul(reshape(x, [x.count / Swift.max(k, 1), k]), g2, transA: true) : nil)
        }
        // The bias gradient in the background when it can be (`DeferredWork`).
        if bias { grads.append(needs[2 * pairs] ? try DeferredWork.columnSums(g2, AD.state).orElse { () throws(TensorError) in try sum(g2, axes: [0]) } : nil) }
        return grads
    }

    /// [G·Wᵀ, Xᵀ·G] for one pair (the same products as the matmul primitives compute).
    /// Inside a backward pass on two threads the weight gradient is queued for the kernel
    /// worker (`DeferredWork`) and the input gradient runs now; otherwise both run side by
    /// side (`sgemmPair`). (Alternating steps in one process: `small` training 0.90–0.98
    /// of the side-by-side pair's time, the forward meta-step 0.92–1.00.)
    func backwardPair(_ x: Tensor, _ w: Tensor, _ g: Tensor) -> [Tensor] {
        let t0 = KernelProfile.enabled && KernelProfile.active ? KernelProfile.now : 0
        let k = w.shape[0], n = w.shape[1], rows = x.count / Swift.max(k, 1)
        let gx = Tensor(uninitialized: x.shape), gw = Tensor(uninitialized: w.shape)
        let input = Kernels.GEMMCall(transA: false, transB: true, m: rows, n: k, k: n, a: g.storage.pointer, lda: Swift.max(n, 1),
                                     b: w.storage.pointer, ldb: Swift.max(n, 1), c: gx.storage.pointer, ldc: Swift.max(k, 1))
        let weight = Kernels.GEMMCall(transA: true, transB: false, m: k, n: n, k: rows, a: x.storage.pointer, lda: Swift.max(k, 1),
                                      b: g.storage.pointer, ldb: Swift.max(n, 1), c: gw.storage.pointer, ldc: Swift.max(n, 1))
        let ad = AD.state
        if DeferredWork.available(ad) && weight.flops >= Kernels.gemmParallelMinFlops {
            // The weight gradient in the background (`DeferredWork`), the input gradient now.
            // On one thread: the worker has just taken the weight gradient, and a split
            // would wait for its half until the worker is free again.
            DeferredWork.queue(output: gw, reads: [x, g], ad) { weight.run(threads: 1) }
            input.run(threads: 1)
            if t0 != 0 { KernelProfile.recordGEMM(flops: input.flops, since: t0) }
        } else {
            Kernels.sgemmPair(input, weight)
        }
        if t0 != 0 { KernelProfile.record("linear_backward \(shapeString(x.shape)) \(shapeString(w.shape))", since: t0) }
        return [gx, gw]
    }

    /// Σ_i (t_xi·W_i + x_i·t_Wi) + t_b, as one `linear` over the products whose tangent is non-zero.
    func jvp(_ xs: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        var inputs: [Tensor] = []
        for i in 0..<pairs {
            if let tx = t[2 * i] { inputs += [tx, xs[2 * i + 1]] }
            if let tw = t[2 * i + 1] { inputs += [xs[2 * i], tw] }
        }
        let tb = bias ? t[2 * pairs] : nil
        if inputs.isEmpty { return try tb.map { b throws(TensorError) in try expand(b, y.shape) } }
        let k = inputs.count / 2
        if let tb { return try apply(LinearPrim(pairs: k, bias: true), inputs + [tb]) }
        return try apply(LinearPrim(pairs: k, bias: false), inputs)
    }
}
