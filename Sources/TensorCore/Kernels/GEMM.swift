// Blocked single-precision GEMM (GotoBLAS/BLIS design).
//
// Loop nest of one (sub-)problem, outermost first:
//   jc over n in NC blocks  → pc over k in KC blocks (pack op(B) block, lives in L2)
//   → ic over m in MC blocks (pack a transposed op(A) block; read a row-major one in
//   place) → jr over NR panels → ir over MR panels
//   → register-tile microkernel (MR×32 of C in 2·MR zmm accumulators).
// Threads split the problem into contiguous row (or column) blocks, aligned to the
// tile, each computed by one thread with the same KC blocking as the serial run, so
// every C element sees the same sequence of floating-point operations whatever the
// thread count: results are bit-identical across thread counts.

extension Kernels {
    /// Depth of a packed block (k extent kept hot per microkernel call).
    /// (256: B micro-panel 32 KiB stays in the 48 KiB L1d; measured best of 128…384.)
    static let gemmKC = 256
    /// Rows of op(A) packed per block (multiple of gemmMR).
    /// (96 rows: the packed A block, 96 KiB, sits in L2; measured best of 48…384.)
    static let gemmMC = 8 * gemmMR
    /// Columns of op(B) packed per block (multiple of gemmNR).
    static let gemmNC = 64 * gemmNR
    /// Below this many flops (2·m·n·k; 2^22 = 2·128³) a product runs on one thread.
    /// (2^23 kept the meta-step's 128×128×128 task-batch products on one core; at 2^22
    /// the forward meta-step is 1–2 % faster in alternating in-process steps, training
    /// unchanged; 2^21 gained nothing for `tiny` in session 4.)
    static let gemmParallelMinFlops = 1 << 22
    /// A row-major op(A) with a shorter row stride is read in place instead of packed:
    /// its 12 rows are then at most 4 KiB apart, so they do not all fall into one L1
    /// set (with a 4 KiB-multiple stride they would).
    static let gemmDirectMaxLDA = 1024

    static let gemmScratch = ScratchPool()

    /// Row-major SGEMM: C[m×n] (= or +=) op(A)[m×k] · op(B)[k×n].
    ///
    /// - op(A) = A (A is m×k with leading dimension `lda`), or Aᵀ when `transA`
    ///   (A stored k×m with leading dimension `lda`). Likewise for B with `transB`.
    /// - `accumulate == false` overwrites C; `true` adds into it. With `k == 0`, C is
    ///   zeroed (or left unchanged when accumulating).
    /// - Preconditions (not checked): m, n, k ≥ 0 (non-positive m or n does nothing);
    ///   leading dimensions ≥ the stored row length; pointers cover the extents; C does
    ///   not overlap A or B.
    /// - `threads`: upper bound for this call (default `Kernels.threads`). Small
    ///   products run on one thread. Results do not depend on the thread count.
    /// - `bias` (n values, only with `accumulate == false`): C = bias[j] + op(A)·op(B),
    ///   the bias written into each register tile just before its first product, while
    ///   the tile is in cache (no separate pass over C).
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int,
                             accumulate: Bool, bias: UnsafePointer<Float>? = nil, threads: Int? = nil) {
        if KernelProfile.enabled && threads == nil && KernelProfile.active {
            let t0 = KernelProfile.now
            sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                  c: c, ldc: ldc, accumulate: accumulate, bias: bias, threads: resolvedThreads(nil))
            KernelProfile.recordGEMM(flops: 2 * max(m, 0) * max(n, 0) * max(k, 0), since: t0)
            return
        }
        if m <= 0 || n <= 0 { return }
        let bias = accumulate ? nil : bias
        if k <= 0 {
            if let bias {
                for i in 0..<m { (c + i * ldc).update(from: bias, count: n) }
            } else if !accumulate {
                for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
            }
            return
        }
        var t = resolvedThreads(threads)
        if 2 * m * n * k < gemmParallelMinFlops { t = 1 }
        let depthBlocks = (k + gemmKC - 1) / gemmKC
        if t > 1 && k >= max(m, n) && depthBlocks >= t
            && (depthBlocks - depthBlocks / t) * m * n <= gemmSplitDepthMaxPartial {
            gemmSplitDepth(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                           c: c, ldc: ldc, accumulate: accumulate, bias: bias, threads: t)
            return
        }
        // Split into whole register tiles along m or n, whichever balances the threads
        // better (e.g. a 128×128 weight gradient: 11 row tiles split 6/5, but 4 column
        // panels split 2/2); on a tie, along the longer side.
        let rowUnits = (m + gemmMR - 1) / gemmMR, colUnits = (n + gemmNR - 1) / gemmNR
        func balance(_ u: Int) -> Double {
            let tt = min(t, u)
            return Double(u) / Double(t * ((u + tt - 1) / tt))
        }
        let (br, bc) = (balance(rowUnits), balance(colUnits))
        let splitRows = br == bc ? m >= n : br > bc
        let units = splitRows ? rowUnits : colUnits
        t = min(t, units)
        if t <= 1 {
            gemmSerial(transA: transA, transB: transB, m: m, n: n, k: k,
                       a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, bias: bias)
            return
        }
        nonisolated(unsafe) let (ap, bp, cp, biasp) = (a, b, c, bias)
        parallelFor(chunks: t, threads: t) { part in
            let u0 = units * part / t, u1 = units * (part + 1) / t
            if splitRows {
                let r0 = u0 * gemmMR, r1 = min(u1 * gemmMR, m)
                if r1 <= r0 { return }
                gemmSerial(transA: transA, transB: transB, m: r1 - r0, n: n, k: k,
                           a: ap + (transA ? r0 : r0 * lda), lda: lda, b: bp, ldb: ldb,
                           c: cp + r0 * ldc, ldc: ldc, accumulate: accumulate, bias: biasp)
            } else {
                let c0 = u0 * gemmNR, c1 = min(u1 * gemmNR, n)
                if c1 <= c0 { return }
                gemmSerial(transA: transA, transB: transB, m: m, n: c1 - c0, k: k,
                           a: ap, lda: lda, b: bp + (transB ? c0 * ldb : c0), ldb: ldb,
                           c: cp + c0, ldc: ldc, accumulate: accumulate, bias: biasp.map { $0 + c0 })
            }
        }
    }

    /// A deep product (k at least m and n: the weight gradients, whose depth is the
    /// batch's tokens) split across threads along k instead of m or n, so each thread
    /// packs only its share of both operands (split along m or n, each thread packs the
    /// whole of one). The split follows the serial run's KC blocks: thread 0 runs the
    /// first group of blocks straight into C; every later block's product goes to its own
    /// partial buffer, and the partials are then added onto C one block at a time in
    /// block order — the serial run's exact sequence of operations, so the result is
    /// bit-identical to it. (`small` training: its weight gradients 15 % faster in the
    /// profile, the step 2 % faster in alternating in-process steps; 128x1024x128:TN alone
    /// 167 → 220 GFLOP/s.)
    static func gemmSplitDepth(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                               a: UnsafePointer<Float>, lda: Int,
                               b: UnsafePointer<Float>, ldb: Int,
                               c: UnsafeMutablePointer<Float>, ldc: Int,
                               accumulate: Bool, bias: UnsafePointer<Float>?, threads t: Int) {
        let blocks = (k + gemmKC - 1) / gemmKC
        let firstEnd = blocks / t          // blocks [0, firstEnd) go straight into C
        let partialBlocks = blocks - firstEnd
        let partials = gemmPartials.take(partialBlocks * m * n)
        defer { gemmPartials.give(partials) }
        nonisolated(unsafe) let (ap, bp, cp, biasp, pp) = (a, b, c, bias, partials.pointer)
        // Group g runs blocks [blocks·g/t, blocks·(g+1)/t).
        parallelFor(chunks: t, threads: t) { g in
            let b0 = blocks * g / t, b1 = blocks * (g + 1) / t
            if g == 0 {
                let depth = min(b1 * gemmKC, k)
                gemmSerial(transA: transA, transB: transB, m: m, n: n, k: depth, a: ap, lda: lda, b: bp, ldb: ldb,
                           c: cp, ldc: ldc, accumulate: accumulate, bias: biasp)
                return
            }
            for blk in b0..<b1 {
                let p0 = blk * gemmKC, depth = min(gemmKC, k - p0)
                gemmSerial(transA: transA, transB: transB, m: m, n: n, k: depth,
                           a: ap + (transA ? p0 * lda : p0), lda: lda, b: bp + (transB ? p0 : p0 * ldb), ldb: ldb,
                           c: pp + (blk - firstEnd) * m * n, ldc: n, accumulate: false)
            }
        }
        // C = (((C + P₀) + P₁) + …) per element, rows split across the threads.
        parallelFor(chunks: t, threads: t) { g in
            let r0 = m * g / t, r1 = m * (g + 1) / t
            for i in r0..<r1 {
                let row = cp + i * ldc
                for blk in 0..<partialBlocks { add(pp + blk * m * n + i * n, row, row, count: n, threads: 1) }
            }
        }
    }

    static let gemmPartials = ScratchPool()
    /// The most partial-product memory (floats) a depth split may take: 8 MiB. (A deep
    /// product of a large model — tens of thousands of tokens into a wide layer — splits
    /// along m or n instead of keeping one m×n partial per depth block.)
    static let gemmSplitDepthMaxPartial = 1 << 21

    /// Batched SGEMM: for `i` in `0..<batch`, the product of `sgemm` with `a`, `b`, `c`
    /// advanced by `i·strideA`, `i·strideB`, `i·strideC` elements. `strideA` or
    /// `strideB` may be 0 to broadcast one operand; the C blocks must not overlap.
    /// Parallelises across the batch when there are at least as many products as
    /// threads, else within each product. Results do not depend on the thread count.
    public static func sgemmBatched(batch: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                    a: UnsafePointer<Float>, lda: Int, strideA: Int,
                                    b: UnsafePointer<Float>, ldb: Int, strideB: Int,
                                    c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int,
                                    accumulate: Bool, threads: Int? = nil) {
        if KernelProfile.enabled && threads == nil && KernelProfile.active {
            let t0 = KernelProfile.now
            sgemmBatched(batch: batch, transA: transA, transB: transB, m: m, n: n, k: k,
                         a: a, lda: lda, strideA: strideA, b: b, ldb: ldb, strideB: strideB,
                         c: c, ldc: ldc, strideC: strideC, accumulate: accumulate, threads: resolvedThreads(nil))
            KernelProfile.recordGEMM(flops: 2 * max(batch, 0) * max(m, 0) * max(n, 0) * max(k, 0), since: t0)
            return
        }
        if batch <= 0 || m <= 0 || n <= 0 { return }
        let t = resolvedThreads(threads)
        let total = 2 * m * n * max(k, 1) * batch
        if t > 1 && batch >= t && total >= gemmParallelMinFlops {
            nonisolated(unsafe) let (ap, bp, cp) = (a, b, c)
            parallelFor(chunks: batch, threads: t) { i in
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                      a: ap + i * strideA, lda: lda, b: bp + i * strideB, ldb: ldb,
                      c: cp + i * strideC, ldc: ldc, accumulate: accumulate, threads: 1)
            }
        } else {
            for i in 0..<batch {
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                      a: a + i * strideA, lda: lda, b: b + i * strideB, ldb: ldb,
                      c: c + i * strideC, ldc: ldc, accumulate: accumulate, threads: t)
            }
        }
    }

    /// Naive triple-loop SGEMM with Double accumulation, same contract as `sgemm`.
    /// For tests only (slow).
    public static func sgemmReference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                      a: UnsafePointer<Float>, lda: Int,
                                      b: UnsafePointer<Float>, ldb: Int,
                                      c: UnsafeMutablePointer<Float>, ldc: Int,
                                      accumulate: Bool) {
        if m <= 0 || n <= 0 { return }
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<max(k, 0) {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    s += Double(x) * Double(y)
                }
                let old = accumulate ? Double(c[i * ldc + j]) : 0
                c[i * ldc + j] = Float(old + s)
            }
        }
    }

    /// Floats of packing scratch `gemmSerial` needs for an m×n×k product: the packed A
    /// and B blocks and one edge tile.
    static func gemmScratchCount(m: Int, n: Int, k: Int) -> Int {
        let (a, b) = gemmPackSizes(m: m, n: n, k: k)
        return a + b + gemmMR * gemmNR
    }

    /// Floats of one packed A block (MC×KC at most) and one packed B block (KC×NC at most).
    static func gemmPackSizes(m: Int, n: Int, k: Int) -> (a: Int, b: Int) {
        let mr = gemmMR, nr = gemmNR
        let kcMax = min(gemmKC, max(k, 1))
        let mcMax = min(gemmMC, (max(m, 1) + mr - 1) / mr * mr)
        let ncMax = min(gemmNC, (max(n, 1) + nr - 1) / nr * nr)
        return (mcMax * kcMax, kcMax * ncMax)
    }

    /// One thread's blocked GEMM over the whole given (sub-)problem; m, n, k > 0.
    /// `bias` (with `accumulate == false`) seeds each tile before its first product.
    /// `scratch` (at least `gemmScratchCount(m:n:k:)` floats) is the packing memory;
    /// without it a buffer is taken from `gemmScratch` for the call.
    static func gemmSerial(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                           a: UnsafePointer<Float>, lda: Int,
                           b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int,
                           accumulate: Bool, bias: UnsafePointer<Float>? = nil,
                           scratch: UnsafeMutablePointer<Float>? = nil) {
        guard let scratch else {
            gemmScratch.with(gemmScratchCount(m: m, n: n, k: k)) { buf in
                gemmSerial(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                           c: c, ldc: ldc, accumulate: accumulate, bias: bias, scratch: buf)
            }
            return
        }
        let mr = gemmMR, nr = gemmNR
        let (sizeA, sizeB) = gemmPackSizes(m: m, n: n, k: k)
        let packA = scratch, packB = scratch + sizeA, tile = scratch + sizeA + sizeB
        var jc = 0
        while jc < n {
            let nc = min(gemmNC, n - jc)
            var pc = 0
            while pc < k {
                let kc = min(gemmKC, k - pc)
                // The first depth block of a biased product adds onto the seeded tile.
                let seed: UnsafePointer<Float>? = pc == 0 ? bias.map { $0 + jc } : nil
                let add = accumulate || pc > 0 || seed != nil
                gemmPackB(trans: transB, kc: kc, nc: nc,
                          b: b + (transB ? jc * ldb + pc : pc * ldb + jc), ldb: ldb,
                          into: packB)
                var ic = 0
                while ic < m {
                    let mc = min(gemmMC, m - ic)
                    // A row-major op(A) is read in place (its panels would be a plain
                    // copy); a transposed one is packed p-major. Microkernel strides:
                    // element (i, p) of a panel at aPanel[i*rs + p*cs].
                    let direct = !transA && lda < gemmDirectMaxLDA
                    let blockA: UnsafePointer<Float>
                    let panelStride: Int
                    if direct {
                        blockA = a + ic * lda + pc
                        panelStride = mr * lda
                    } else {
                        gemmPackA(trans: transA, mc: mc, kc: kc,
                                  a: a + (transA ? pc * lda + ic : ic * lda + pc), lda: lda,
                                  into: packA)
                        blockA = UnsafePointer(packA)
                        panelStride = mr * kc
                    }
                    let rs = transA ? 1 : (direct ? lda : kc), cs = transA ? mr : 1
                    var jr = 0
                    while jr < nc {
                        let cols = min(nr, nc - jr)
                        let bPanel = packB + jr * kc
                        var ir = 0
                        while ir < mc {
                            let rows = min(mr, mc - ir)
                            let aPanel = blockA + (ir / mr) * panelStride
                            let cTile = c + (ic + ir) * ldc + jc + jr
                            if let sd = seed { gemmSeedTile(rows: rows, cols: cols, bias: sd + jr, c: cTile, ldc: ldc) }
                            if cols == nr {
                                gemmMicro(rows: rows, kc, aPanel, rs, cs, bPanel, cTile, ldc, add)
                            } else {
                                gemmMicro(rows: rows, kc, aPanel, rs, cs, bPanel, tile, nr, false)
                                gemmStoreEdge(rows: rows, cols: cols, tile: tile,
                                              c: cTile, ldc: ldc, add: add)
                            }
                            ir += mr
                        }
                        jr += nr
                    }
                    ic += mc
                }
                pc += kc
            }
            jc += nc
        }
    }

    /// Writes bias[0..<cols] into each of the tile's rows of C (the seed of a biased product).
    @inline(__always)
    static func gemmSeedTile(rows: Int, cols: Int, bias: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if cols == gemmNR {
            let lo = load16(bias), hi = load16(bias + 16)
            for i in 0..<rows { store16(lo, c + i * ldc); store16(hi, c + i * ldc + 16) }
        } else {
            for i in 0..<rows { for j in 0..<cols { c[i * ldc + j] = bias[j] } }
        }
    }

    /// Writes the valid rows×cols corner of a full tile into C (=, or += when `add`),
    /// with the same per-element operation as the full-tile path.
    @inline(__always)
    static func gemmStoreEdge(rows: Int, cols: Int, tile: UnsafePointer<Float>,
                              c: UnsafeMutablePointer<Float>, ldc: Int, add: Bool) {
        for i in 0..<rows {
            let src = tile + i * gemmNR, dst = c + i * ldc
            if add {
                for j in 0..<cols { dst[j] = src[j] + dst[j] }
            } else {
                for j in 0..<cols { dst[j] = src[j] }
            }
        }
    }
}

