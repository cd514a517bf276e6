/// Two independent products at once, one per thread: a linear layer's backward pass
/// needs the input gradient G·Wᵀ and the weight gradient Xᵀ·G, which read the same
/// cotangent and have the same flop count.
extension Kernels {
    /// One product of `sgemmPair`: C = op(A)·op(B) (C overwritten), `sgemm`'s operands.
    public struct GEMMCall {
        public var transA: Bool, transB: Bool
        public var m: Int, n: Int, k: Int
        public var a: UnsafePointer<Float>, lda: Int
        public var b: UnsafePointer<Float>, ldb: Int
        public var c: UnsafeMutablePointer<Float>, ldc: Int

        public init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                    c: UnsafeMutablePointer<Float>, ldc: Int) {
            (self.transA, self.transB, self.m, self.n, self.k) = (transA, transB, m, n, k)
            (self.a, self.lda, self.b, self.ldb, self.c, self.ldc) = (a, lda, b, ldb, c, ldc)
        }

        var flops: Int { 2 * Swift.max(m, 0) * Swift.max(n, 0) * Swift.max(k, 0) }

        func run(threads: Int?) {
            sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                  c: c, ldc: ldc, accumulate: false, threads: threads)
        }
    }

    /// Runs two products whose outputs do not overlap. With two threads and both products
    /// worth a thread, each runs whole on its own thread instead of being split across
    /// both in turn: no operand packed twice, no wait between them. (With more threads
    /// each product is split over all of them, one after the other, as before: two whole
    /// products would leave the other cores idle.) The results are bit-identical to two
    /// `sgemm` calls (every split of `sgemm` repeats its serial run's operations), so
    /// they do not depend on the thread count.
    public static func sgemmPair(_ x: GEMMCall, _ y: GEMMCall) {
        let t = resolvedThreads(nil)
        guard t == 2, Swift.min(x.flops, y.flops) >= gemmParallelMinFlops else {
            x.run(threads: nil)
            y.run(threads: nil)
            return
        }
        let t0 = KernelProfile.enabled && KernelProfile.active ? KernelProfile.now : 0
        nonisolated(unsafe) let calls = (x, y)
        parallelFor(chunks: 2, threads: 2) { i in (i == 0 ? calls.0 : calls.1).run(threads: 1) }
        if t0 != 0 { KernelProfile.recordGEMM(flops: x.flops + y.flops, since: t0) }
    }
}

extension Kernels {
    /// One product A·B (row-major, not transposed; A is m×k) of `sgemmSum`.
    public struct GEMMTerm {
        public var a: UnsafePointer<Float>, lda: Int
        public var b: UnsafePointer<Float>, ldb: Int
        public var k: Int

        public init(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, k: Int) {
            (self.a, self.lda, self.b, self.ldb, self.k) = (a, lda, b, ldb, k)
        }
    }

    /// C (m×n) = Σ_i A_i·B_i (+ `bias` on every row): the products in order, each after
    /// the first added onto C, as `sgemm` calls with `accumulate` would. With two or more
    /// threads, C's rows are split once and each thread runs every product on its rows,
    /// instead of a split and a wait per product (a forward-mode sweep's t_x·W + x·t_W).
    /// Always along rows: splitting wide outputs along columns, as `sgemm` does, measured
    /// 0–3 % slower on the forward meta-step. The per-element operations are the serial
    /// run's, so the result does not depend on the thread count.
    public static func sgemmSum(_ terms: [GEMMTerm], m: Int, n: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                bias: UnsafePointer<Float>?) {
        let t = resolvedThreads(nil)
        let flops = terms.reduce(0) { $0 + 2 * Swift.max(m, 0) * Swift.max(n, 0) * Swift.max($1.k, 0) }
        let rowUnits = (m + gemmMR - 1) / gemmMR
        guard t > 1, terms.count > 1, rowUnits >= t, n > 0, flops >= gemmParallelMinFlops, terms.allSatisfy({ $0.k > 0 }) else {
            for (i, term) in terms.enumerated() {
                sgemm(transA: false, transB: false, m: m, n: n, k: term.k, a: term.a, lda: term.lda, b: term.b, ldb: term.ldb,
                      c: c, ldc: ldc, accumulate: i > 0, bias: i == 0 ? bias : nil)
            }
            return
        }
        let t0 = KernelProfile.enabled && KernelProfile.active ? KernelProfile.now : 0
        nonisolated(unsafe) let (cp, biasp) = (c, bias)
        parallelFor(chunks: t, threads: t) { part in
            let r0 = rowUnits * part / t * gemmMR, r1 = Swift.min(rowUnits * (part + 1) / t * gemmMR, m)
            if r1 <= r0 { return }
            for (i, term) in terms.enumerated() {
                gemmSerial(transA: false, transB: false, m: r1 - r0, n: n, k: term.k, a: term.a + r0 * term.lda, lda: term.lda,
                           b: term.b, ldb: term.ldb, c: cp + r0 * ldc, ldc: ldc, accumulate: i > 0, bias: i == 0 ? biasp : nil)
            }
        }
        if t0 != 0 { KernelProfile.recordGEMM(flops: flops, since: t0) }
    }
}
