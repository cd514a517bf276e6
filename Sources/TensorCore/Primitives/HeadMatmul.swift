/// The two products of multi-head attention, read and written in the projections'
/// [batch, time, heads, width] layout, so attention needs no permuted copies of its
/// queries, keys, values and output (before, four copies forward and four backward per
/// layer). Each (batch, head) pair is one strided GEMM (or, with `pairs`, a sum of
/// several into one output: a forward-mode sweep's two tangent products).
///
/// - head_scores(a [B, T, H, d], b [B, S, H, d]) → [B, H, T, S]: A_bh·B_bhᵀ.
/// - head_context(p [B, H, T, S], v [B, S, H, d]) → [B, T, H, d]: P_bh·V_bh; with
///   `transA`, p is [B, H, S, T] and P_bhᵀ·V_bh is computed.
/// Each one's derivatives are the other (or itself), so they nest.
struct HeadScoresPrim: Primitive {
    /// Σ over `pairs` input pairs [a_1, b_1, a_2, b_2, ...] of a_i·b_iᵀ per head (a JVP's
    /// t_a·bᵀ + a·t_bᵀ in one output, with no separate add).
    var pairs = 1
    var name: String { "head_scores" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        guard pairs >= 1, x.count == 2 * pairs else { throw TensorError(name, "needs \(2 * pairs) inputs, got \(x.count)") }
        let a = x[0], b = x[1]
        guard a.rank == 4, b.rank == 4, a.shape[0] == b.shape[0], a.shape[2] == b.shape[2], a.shape[3] == b.shape[3] else {
            throw TensorError(name, "needs a [B, T, H, d] and b [B, S, H, d], got \(shapeString(a.shape)) and \(shapeString(b.shape))")
        }
        for i in 1..<pairs where x[2 * i].shape != a.shape || x[2 * i + 1].shape != b.shape {
            throw TensorError(name, "every pair must have the first pair's shapes, got \(shapeString(x[2 * i].shape)) and \(shapeString(x[2 * i + 1].shape))")
        }
        let (bs, t, h, d, s) = (a.shape[0], a.shape[1], a.shape[2], a.shape[3], b.shape[1])
        let outShape = [bs, h, t, s]
        _ = try Shape.validate(outShape, op: name)
        let out = Tensor(uninitialized: outShape)
        nonisolated(unsafe) let operands = x.map { UnsafePointer($0.storage.pointer) }, uo = out.storage.pointer
        let n = pairs
        Kernels.perHead(count: bs * h, m: t, n: s, k: d, products: n) { i, scratch in
            let bi = i / h, hi = i % h
            for j in 0..<n {
                Kernels.headGEMM(transA: false, transB: true, m: t, n: s, k: d,
                                 a: operands[2 * j] + bi * t * h * d + hi * d, lda: Swift.max(h * d, 1),
                                 b: operands[2 * j + 1] + bi * s * h * d + hi * d, ldb: Swift.max(h * d, 1),
                                 c: uo + i * t * s, ldc: Swift.max(s, 1), accumulate: j > 0, scratch: scratch)
            }
        }
        return out
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ u: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        var grads: [Tensor?] = []
        for i in 0..<pairs {
            grads.append(needs[2 * i] ? try headContext(u, x[2 * i + 1]) : nil)
            grads.append(needs[2 * i + 1] ? try headContext(u, x[2 * i], transA: true) : nil)
        }
        return grads
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        var inputs: [Tensor] = []
        for i in 0..<pairs {
            if let ta = t[2 * i] { inputs += [ta, x[2 * i + 1]] }
            if let tb = t[2 * i + 1] { inputs += [x[2 * i], tb] }
        }
        guard !inputs.isEmpty else { return nil }
        return try apply(HeadScoresPrim(pairs: inputs.count / 2), inputs)
    }
}

struct HeadContextPrim: Primitive {
    var transA = false
    /// Σ over `pairs` input pairs [p_1, v_1, p_2, v_2, ...] of op(p_i)·v_i per head.
    var pairs = 1
    var name: String { "head_context" }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        guard pairs >= 1, x.count == 2 * pairs else { throw TensorError(name, "needs \(2 * pairs) inputs, got \(x.count)") }
        let p = x[0], v = x[1]
        guard p.rank == 4, v.rank == 4, p.shape[0] == v.shape[0], p.shape[1] == v.shape[2],
              (transA ? p.shape[2] : p.shape[3]) == v.shape[1] else {
            throw TensorError(name, "needs p [B, H, \(transA ? "S, T" : "T, S")] and v [B, S, H, d], got \(shapeString(p.shape)) and \(shapeString(v.shape))")
        }
        for i in 1..<pairs where x[2 * i].shape != p.shape || x[2 * i + 1].shape != v.shape {
            throw TensorError(name, "every pair must have the first pair's shapes, got \(shapeString(x[2 * i].shape)) and \(shapeString(x[2 * i + 1].shape))")
        }
        let (bs, h, s, d) = (v.shape[0], v.shape[2], v.shape[1], v.shape[3])
        let t = transA ? p.shape[3] : p.shape[2]
        let outShape = [bs, t, h, d]
        _ = try Shape.validate(outShape, op: name)
        let out = Tensor(uninitialized: outShape)
        nonisolated(unsafe) let operands = x.map { UnsafePointer($0.storage.pointer) }, uo = out.storage.pointer
        let trans = transA, n = pairs
        Kernels.perHead(count: bs * h, m: t, n: d, k: s, products: n) { i, scratch in
            let bi = i / h, hi = i % h
            for j in 0..<n {
                Kernels.headGEMM(transA: trans, transB: false, m: t, n: d, k: s,
                                 a: operands[2 * j] + i * t * s, lda: Swift.max(trans ? t : s, 1),
                                 b: operands[2 * j + 1] + bi * s * h * d + hi * d, ldb: Swift.max(h * d, 1),
                                 c: uo + bi * t * h * d + hi * d, ldc: Swift.max(h * d, 1), accumulate: j > 0, scratch: scratch)
            }
        }
        return out
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ u: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        var grads: [Tensor?] = []
        for i in 0..<pairs {
            let p = x[2 * i], v = x[2 * i + 1]
            // op(P) = U·Vᵀ's cotangent; stored P is op(P) or its transpose.
            grads.append(needs[2 * i] ? (transA ? try headScores(v, u) : try headScores(u, v)) : nil)
            grads.append(needs[2 * i + 1] ? try headContext(p, u, transA: !transA) : nil)
        }
        return grads
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        var inputs: [Tensor] = []
        for i in 0..<pairs {
            if let tp = t[2 * i] { inputs += [tp, x[2 * i + 1]] }
            if let tv = t[2 * i + 1] { inputs += [x[2 * i], tv] }
        }
        guard !inputs.isEmpty else { return nil }
        return try apply(HeadContextPrim(transA: transA, pairs: inputs.count / 2), inputs)
    }
}

/// Attention scores per head: a [B, T, H, d], b [B, S, H, d] → [B, H, T, S] = a_bh · b_bhᵀ.
public func headScores(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
    try apply(HeadScoresPrim(), [a, b])
}

/// Attention output per head: p [B, H, T, S], v [B, S, H, d] → [B, T, H, d] = p_bh · v_bh
/// (with `transA`, p is [B, H, S, T] and p_bhᵀ · v_bh is computed).
public func headContext(_ p: Tensor, _ v: Tensor, transA: Bool = false) throws(TensorError) -> Tensor {
    try apply(HeadContextPrim(transA: transA), [p, v])
}

extension Kernels {
    /// Runs one small m×n×k product per (batch, head) index: across threads when there
    /// are enough of them and enough work, else in order. Each product runs on one
    /// thread, so results do not depend on the thread count. Heads go in groups (two per
    /// thread), each with one packing buffer: with a buffer and a dispatch per head the
    /// `small` training step took 37.4 ms against 36.2 (alternating steps in one process);
    /// groups of 4, 16 or 32 heads (of `small`'s 64) measured the same.
    static func perHead(count: Int, m: Int, n: Int, k: Int, products: Int = 1,
                        _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let t = resolvedThreads(nil)
        let scratch = gemmScratchCount(m: m, n: n, k: k)
        if t > 1 && count >= t && products * count * 2 * m * n * Swift.max(k, 1) >= gemmParallelMinFlops {
            let group = Swift.max(1, count / (2 * t))
            parallelFor(chunks: (count + group - 1) / group, threads: t) { g in
                gemmScratch.with(scratch) { buf in
                    for i in (g * group)..<Swift.min(count, (g + 1) * group) { body(i, buf) }
                }
            }
        } else {
            gemmScratch.with(scratch) { buf in
                for i in 0..<count { body(i, buf) }
            }
        }
    }

    /// One head's product on the calling thread: `sgemm`'s contract (C overwritten, or
    /// added to with `accumulate`), packing into `scratch` (`gemmScratchCount(m:n:k:)` floats).
    @inline(__always)
    static func headGEMM(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
                         scratch: UnsafeMutablePointer<Float>) {
        if m <= 0 || n <= 0 { return }
        if k <= 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        gemmSerial(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                   c: c, ldc: ldc, accumulate: accumulate, scratch: scratch)
    }
}
