/// Batched matrix product op(A)·op(B) over the last two axes, with numpy broadcasting of
/// the leading (batch) axes. `transA`/`transB` read an operand transposed without copying
/// it (the backward pass uses them).
struct MatmulPrim: Primitive {
    var transA = false
    var transB = false
    var name: String { "matmul" }

    struct Plan {
        var m: Int, k: Int, n: Int
        var batch: [Int]
        var outShape: [Int]
    }

    func plan(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Plan {
        guard a.rank >= 2, b.rank >= 2 else {
            throw TensorError("matmul", "needs tensors of rank ≥ 2, got \(shapeString(a.shape)) and \(shapeString(b.shape))")
        }
        let m = transA ? a.shape[a.rank - 1] : a.shape[a.rank - 2]
        let k = transA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
        let k2 = transB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
        let n = transB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
        guard k == k2 else {
            throw TensorError("matmul", "inner dimensions differ: \(shapeString(a.shape)) @ \(shapeString(b.shape)) (\(k) vs \(k2))")
        }
        let batch = try Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: "matmul")
        let outShape = batch + [m, n]
        _ = try Shape.validate(outShape, op: "matmul")
        return Plan(m: m, k: k, n: n, batch: batch, outShape: outShape)
    }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0], b = x[1]
        let p = try plan(a, b)
        let out = Tensor(uninitialized: p.outShape)
        let lda = a.shape[a.rank - 1], ldb = b.shape[b.rank - 1]
        // One big GEMM when B is a single matrix and A's batch folds into its rows.
        if b.rank == 2 && !transA {
            Kernels.sgemm(transA: false, transB: transB, m: a.count / max(lda, 1) , n: p.n, k: p.k,
                          a: a.storage.pointer, lda: max(lda, 1), b: b.storage.pointer, ldb: max(ldb, 1),
                          c: out.storage.pointer, ldc: max(p.n, 1), accumulate: false)
            if lda == 0 { out.storage.pointer.initialize(repeating: 0, count: out.count) }
            return out
        }
        let batchCount = p.batch.reduce(1, *)
        let aMat = a.shape[a.rank - 2] * lda, bMat = b.shape[b.rank - 2] * ldb
        let ea = try batchOperand(a, p.batch), eb = try batchOperand(b, p.batch)
        Kernels.sgemmBatched(batch: batchCount, transA: transA, transB: transB, m: p.m, n: p.n, k: p.k,
                             a: ea.storage.pointer, lda: max(lda, 1), strideA: ea.rank == 2 ? 0 : aMat,
                             b: eb.storage.pointer, ldb: max(ldb, 1), strideB: eb.rank == 2 ? 0 : bMat,
                             c: out.storage.pointer, ldc: max(p.n, 1), strideC: p.m * p.n, accumulate: false)
        return out
    }

    /// The operand with its batch axes materialised to `batch` (unchanged when it already
    /// matches or is a single matrix, which the kernel reads with stride 0).
    func batchOperand(_ t: Tensor, _ batch: [Int]) throws(TensorError) -> Tensor {
        let own = Array(t.shape.dropLast(2))
        if own == batch || t.rank == 2 { return t }
        if own.reduce(1, *) == 1 { return try reshapeValue(t, Array(t.shape.suffix(2))) }
        return try expandValue(t, batch + t.shape.suffix(2), op: "matmul")
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let a = x[0], b = x[1]
        var ga: Tensor? = nil, gb: Tensor? = nil
        if needs[0] {
            ga = transA ? try matmul(b, g, transA: transB, transB: true)
                        : try matmul(g, b, transA: false, transB: !transB)
            ga = try sumTo(ga!, a.shape)
        }
        if needs[1] {
            if b.rank == 2 && !transA && a.rank > 2 {
                // Fold A's batch into rows: one GEMM instead of a batch and a sum.
                let k = a.shape[a.rank - 1]
                let a2 = try reshape(a, [a.count / max(k, 1), k])
                let g2 = try reshape(g, [g.count / max(g.shape[g.rank - 1], 1), g.shape[g.rank - 1]])
                gb = transB ? try matmul(g2, a2, transA: true, transB: false)
                            : try matmul(a2, g2, transA: true, transB: false)
            } else {
                gb = transB ? try matmul(g, a, transA: true, transB: transA)
                            : try matmul(a, g, transA: !transA, transB: false)
                gb = try sumTo(gb!, b.shape)
            }
        }
        return [ga, gb]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        var parts: [Tensor] = []
        if let ta = t[0] { parts.append(try matmul(ta, x[1], transA: transA, transB: transB)) }
        if let tb = t[1] { parts.append(try matmul(x[0], tb, transA: transA, transB: transB)) }
        guard let first = parts.first else { return nil }
        return parts.count == 2 ? try add(first, parts[1]) : first
    }
}
