import Testing
@testable import TensorCore

/// The fused primitives give the values of the composed ops they replace, and report
/// bad shapes as errors. (Their derivatives are covered by the generic checker.)
@Suite struct FusedPrimitiveTests {
    @Test func linearEqualsMatmulPlusBias() throws {
        var fx = Fixture(seed: 11)
        let x = fx.normal([2, 5, 33]), w = fx.normal([33, 40]), b = fx.normal([40])
        let fused = try linear(x, w, b), composed = try add(matmul(x, w), b)
        #expect(fused.shape == [2, 5, 40])
        #expect(maxAbsDiff(fused, composed) < 1e-4)
    }

    @Test func linearSumsSeveralProducts() throws {
        var fx = Fixture(seed: 21)
        let x1 = fx.normal([4, 3, 7]), w1 = fx.normal([7, 9]), x2 = fx.normal([4, 3, 5]), w2 = fx.normal([5, 9]), b = fx.normal([9])
        let fused = try apply(LinearPrim(pairs: 2, bias: true), [x1, w1, x2, w2, b])
        #expect(maxAbsDiff(fused, try add(add(matmul(x1, w1), matmul(x2, w2)), b)) < 1e-4)
        let noBias = try apply(LinearPrim(pairs: 2, bias: false), [x1, w1, x2, w2])
        #expect(maxAbsDiff(noBias, try add(matmul(x1, w1), matmul(x2, w2))) < 1e-4)
        // Mismatched leading shapes or widths are errors.
        #expect(throws: TensorError.self) { try apply(LinearPrim(pairs: 2, bias: false), [x1, w1, fx.normal([4, 2, 5]), w2]) }
        #expect(throws: TensorError.self) { try apply(LinearPrim(pairs: 2, bias: false), [x1, w1, x2, fx.normal([5, 8])]) }
        #expect(throws: TensorError.self) { try apply(LinearPrim(pairs: 2, bias: true), [x1, w1, x2, w2]) }
    }

    @Test(arguments: [(100, 45, 300), (13, 64, 7), (200, 250, 128), (5, 3, 0), (64, 40, 1800)] as [(Int, Int, Int)])
    func sgemmWithBiasMatchesReferenceOnAnyThreadCount(m: Int, n: Int, k: Int) throws {
        var fx = Fixture(seed: 22)
        let a = fx.normal([m, Swift.max(k, 1)]), b = fx.normal([Swift.max(k, 1), n]), bias = fx.normal([n])
        var want = [Float](repeating: 0, count: m * n)
        want.withUnsafeMutableBufferPointer { w in
            Kernels.sgemmReference(transA: false, transB: false, m: m, n: n, k: k, a: a.storage.pointer, lda: Swift.max(k, 1),
                                   b: b.storage.pointer, ldb: n, c: w.baseAddress!, ldc: n, accumulate: false)
        }
        for i in 0..<m { for j in 0..<n { want[i * n + j] += bias.scalars[j] } }
        var results: [[UInt32]] = []
        for threads in [1, 2] {
            var got = [Float](repeating: .nan, count: m * n)
            got.withUnsafeMutableBufferPointer { g in
                Kernels.sgemm(transA: false, transB: false, m: m, n: n, k: k, a: a.storage.pointer, lda: Swift.max(k, 1),
                              b: b.storage.pointer, ldb: n, c: g.baseAddress!, ldc: n, accumulate: false,
                              bias: bias.storage.pointer, threads: threads)
            }
            let err = zip(got, want).map { Swift.abs($0 - $1) / (1 + Swift.abs($1)) }.max() ?? 0
            #expect(err < 1e-4, "\(m)x\(n)x\(k) on \(threads) threads: error \(err)")
            results.append(got.map(\.bitPattern))
        }
        #expect(results[0] == results[1], "\(m)x\(n)x\(k): differs across thread counts")
    }

    /// Outside a recorded computation, the backward pass of `linear` runs its two gradient
    /// products side by side, one per thread (`sgemmPair`): the gradients equal the
    /// composed rule's matmuls bit for bit, on one, two and three threads (three split each
    /// product instead), for sizes above and below the parallel threshold.
    @Test func linearBackwardPairEqualsComposedMatmulsBitForBit() throws {
        var fx = Fixture(seed: 25)
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        for (rows, k, n) in [(1024, 128, 96), (12, 5, 7)] {
            let x = fx.normal([rows / 4, 4, k]), w = fx.normal([k, n]), b = fx.normal([n]), u = fx.normal([rows / 4, 4, n])
            let x2 = try reshape(x, [rows, k]), u2 = try reshape(u, [rows, n])
            let wantLinear = [try matmul(u, w, transB: true), try matmul(x2, u2, transA: true)].map { $0.scalars.map(\.bitPattern) }
            for threads in [1, 2, 3] {
                Kernels.threads = threads
                let (_, linearBack) = try Autodiff.vjp(at: [x, w, b]) { p in try linear(p[0], p[1], p[2]) }
                let gl = try linearBack(u)
                #expect(gl[0].shape == x.shape && gl[1].shape == w.shape)
                #expect([gl[0], gl[1]].map { $0.scalars.map(\.bitPattern) } == wantLinear, "linear \(rows)x\(k)x\(n), \(threads) threads")
            }
        }
    }

    @Test func linearRejectsMismatchedShapes() {
        var fx = Fixture(seed: 12)
        #expect(throws: TensorError.self) { try linear(fx.normal([2, 3]), fx.normal([4, 5]), fx.normal([5])) }
        #expect(throws: TensorError.self) { try linear(fx.normal([2, 4]), fx.normal([4, 5]), fx.normal([4])) }
        #expect(throws: TensorError.self) { try linear(fx.normal([4]), fx.normal([4, 5]), fx.normal([5])) }
    }

    /// The two layer-norm row kernels share one shape check: x and the second input of one
    /// shape [..., D] with D ≥ 1, else an error naming the primitive and both shapes.
    @Test func layerNormKernelsRejectMismatchedShapes() {
        var fx = Fixture(seed: 13)
        let cases: [(any Primitive, String)] = [(LayerNormJacobianPrim(eps: 1e-5), "v"), (LayerNormGainGradPrim(eps: 1e-5), "u")]
        for (prim, other) in cases {
            for (x, y) in [(fx.normal([2, 4]), fx.normal([2, 5])), (fx.normal([2, 0]), fx.normal([2, 0]))] {
                do {
                    _ = try apply(prim, [x, y])
                    Issue.record("\(prim.name) took \(x.shape) and \(y.shape)")
                } catch {
                    #expect("\(error)".contains(prim.name) && "\(error)".contains("needs x and \(other) of one shape [..., D] (D ≥ 1), got [2, "),
                            "\(error)")
                }
            }
        }
    }

    @Test func causalSoftmaxEqualsMaskedSoftmax() throws {
        var fx = Fixture(seed: 13)
        for t in [1, 5, 16, 37] {
            let x = fx.normal([2, 3, t, t])
            var mask = [Float](repeating: 0, count: t * t)
            for q in 0..<t { for s in (q + 1)..<Swift.max(t, q + 1) { mask[q * t + s] = -1e9 } }
            let composed = try softmax(add(mul(x, 0.25), Tensor(shape: [t, t], values: mask)))
            let fused = try causalSoftmax(x, scale: 0.25)
            #expect(maxAbsDiff(fused, composed) < 1e-6, "T = \(t)")
            // Later keys are exactly zero.
            for q in 0..<t { for s in (q + 1)..<Swift.max(t, q + 1) { #expect(try fused.element(at: [1, 2, q, s]) == 0) } }
        }
    }

    @Test func causalSoftmaxRejectsNonSquareScoresAndBadScales() {
        var fx = Fixture(seed: 14)
        #expect(throws: TensorError.self) { try causalSoftmax(fx.normal([2, 3, 4])) }
        #expect(throws: TensorError.self) { try causalSoftmax(fx.normal([4])) }
        #expect(throws: TensorError.self) { try causalSoftmax(fx.normal([4, 4]), scale: 0) }
        #expect(throws: TensorError.self) { try causalSoftmax(fx.normal([4, 4]), scale: .nan) }
    }

    @Test func softmaxJacobianEqualsComposedForm() throws {
        var fx = Fixture(seed: 15)
        let y = try softmax(fx.normal([3, 4, 21])), v = fx.normal([3, 4, 21])
        let composed = try mul(0.5, mul(y, sub(v, sum(mul(v, y), axes: [-1], keepDims: true))))
        #expect(maxAbsDiff(try softmaxJacobian(y, v, scale: 0.5), composed) < 1e-6)
        #expect(throws: TensorError.self) { try softmaxJacobian(y, fx.normal([3, 21])) }
    }

    @Test func geluBackwardEqualsProductWithGeluGrad() throws {
        var fx = Fixture(seed: 17)
        let x = fx.normal([7, 33], std: 3), v = fx.normal([7, 33])
        let fused = try apply(GeluBackwardPrim(), [x, v]), composed = try mul(v, geluGrad(x))
        #expect(fused.scalars.map(\.bitPattern) == composed.scalars.map(\.bitPattern))
        #expect(throws: TensorError.self) { try apply(GeluBackwardPrim(), [x, fx.normal([33])]) }
    }

    @Test func headProductsEqualPermutedBatchedMatmuls() throws {
        var fx = Fixture(seed: 18)
        let q = fx.normal([3, 7, 2, 5]), k = fx.normal([3, 6, 2, 5]), v = fx.normal([3, 6, 2, 5])
        let qh = try permute(q, [0, 2, 1, 3]), kh = try permute(k, [0, 2, 1, 3]), vh = try permute(v, [0, 2, 1, 3])
        let s = try headScores(q, k)
        #expect(maxAbsDiff(s, try matmul(qh, kh, transB: true)) < 1e-5)
        let o = try headContext(s, v)
        #expect(maxAbsDiff(o, try permute(matmul(s, vh), [0, 2, 1, 3])) < 1e-4)
        let st = fx.normal([3, 2, 6, 7])
        #expect(maxAbsDiff(try headContext(st, v, transA: true), try permute(matmul(st, vh, transA: true), [0, 2, 1, 3])) < 1e-4)
        #expect(throws: TensorError.self) { try headScores(q, fx.normal([3, 6, 2, 4])) }
        #expect(throws: TensorError.self) { try headContext(s, fx.normal([3, 7, 2, 5])) }
        #expect(throws: TensorError.self) { try headScores(fx.normal([7, 2, 5]), k) }
    }

    /// A JVP through the head products is one sum-of-products primitive per product
    /// (t_a·bᵀ + a·t_bᵀ into one output): it equals the sum of the two single products bit
    /// for bit (one depth block each, so the same additions), on 1 and 2 threads; pairs of
    /// mismatched shapes are errors.
    @Test func headProductSumsEqualSumsOfSingleProductsBitForBit() throws {
        var fx = Fixture(seed: 26)
        let a1 = fx.normal([8, 64, 4, 32]), b1 = fx.normal([8, 64, 4, 32]), a2 = fx.normal([8, 64, 4, 32]), b2 = fx.normal([8, 64, 4, 32])
        let p1 = fx.normal([8, 4, 64, 64]), p2 = fx.normal([8, 4, 64, 64])
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        for threads in [1, 2] {
            Kernels.threads = threads
            let scores = try apply(HeadScoresPrim(pairs: 2), [a1, b1, a2, b2])
            #expect(scores.scalars.map(\.bitPattern) == (try add(headScores(a1, b1), headScores(a2, b2))).scalars.map(\.bitPattern))
            for transA in [false, true] {
                let context = try apply(HeadContextPrim(transA: transA, pairs: 2), [p1, b1, p2, b2])
                let composed = try add(headContext(p1, b1, transA: transA), headContext(p2, b2, transA: transA))
                #expect(context.scalars.map(\.bitPattern) == composed.scalars.map(\.bitPattern), "transA \(transA), \(threads) threads")
            }
        }
        #expect(throws: TensorError.self) { try apply(HeadScoresPrim(pairs: 2), [a1, b1, a2, fx.normal([8, 63, 4, 32])]) }
        #expect(throws: TensorError.self) { try apply(HeadScoresPrim(pairs: 2), [a1, b1, a2]) }
        #expect(throws: TensorError.self) { try apply(HeadContextPrim(pairs: 2), [p1, b1, fx.normal([8, 4, 64, 63]), b2]) }
        // The forward-mode sweep through attention uses them: jvp of headScores along both inputs.
        let (_, tangent) = try Autodiff.jvp(at: [a1, b1], tangents: [a2, b2]) { x in try headScores(x[0], x[1]) }
        #expect(maxAbsDiff(tangent, try add(headScores(a2, b1), headScores(a1, b2))) < 1e-5)
    }

    @Test func headProductsAreBitIdenticalAcrossThreadCounts() throws {
        var fx = Fixture(seed: 19)
        let q = fx.normal([16, 64, 4, 32]), k = fx.normal([16, 64, 4, 32])
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        func run() throws -> [[UInt32]] {
            let s = try headScores(q, k)
            return [s, try headContext(s, k), try headContext(s, q, transA: true)].map { $0.scalars.map(\.bitPattern) }
        }
        Kernels.threads = 1
        let one = try run()
        Kernels.threads = 2
        #expect(one == (try run()))
    }

    /// The gain's gradient in one pass equals Σ_rows u ⊙ layer_norm(x) bit for bit (the
    /// composed ops' own products and row order), on 1 and 2 threads, with whole 64-column
    /// blocks and a partial one; bad shapes are errors.
    @Test func layerNormGainGradEqualsComposedSumBitForBit() throws {
        var fx = Fixture(seed: 24)
        let x = fx.normal([16, 64, 200], std: 3), u = fx.normal([16, 64, 200])
        let composed = try sum(mul(u, layerNorm(x, eps: 1e-5)), axes: [0, 1])
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        for threads in [1, 2] {
            Kernels.threads = threads
            let fused = try apply(LayerNormGainGradPrim(eps: 1e-5), [x, u])
            #expect(fused.shape == [200])
            #expect(fused.scalars.map(\.bitPattern) == composed.scalars.map(\.bitPattern))
        }
        #expect(throws: TensorError.self) { try apply(LayerNormGainGradPrim(eps: 1e-5), [x, fx.normal([16, 64, 199])]) }
        #expect(throws: TensorError.self) { try apply(LayerNormGainGradPrim(eps: 1e-5), [fx.normal([3, 0]), fx.normal([3, 0])]) }
    }

    @Test func layerNormAffineEqualsComposedNorm() throws {
        var fx = Fixture(seed: 23)
        let x = fx.normal([4, 3, 37], std: 3), g = fx.normal([37]), b = fx.normal([37])
        let fused = try layerNormAffine(x, g, b), composed = try add(mul(layerNorm(x), g), b)
        #expect(maxAbsDiff(fused, composed) < 1e-5)
        #expect(throws: TensorError.self) { try layerNormAffine(x, fx.normal([36]), b) }
        #expect(throws: TensorError.self) { try layerNormAffine(x, g, fx.normal([1, 37])) }
        #expect(throws: TensorError.self) { try layerNormAffine(x, g, b, eps: -1) }
    }

    /// layer_norm_affine's tangent along x, g and b in one kernel equals the composed
    /// tangent (Jacobian, gain, normalised input times the gain's tangent, bias' tangent)
    /// bit for bit, with whole 16-lane blocks and a tail, on 1 and 2 threads; bad shapes
    /// are errors. It is what a JVP with all three tangents runs.
    @Test func layerNormAffineTangentEqualsComposedTangentBitForBit() throws {
        var fx = Fixture(seed: 27)
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        for d in [128, 37] {
            let x = fx.normal([16, 64, d], std: 3), g = fx.normal([d]), tx = fx.normal([16, 64, d]), tg = fx.normal([d]), tb = fx.normal([d])
            let composed = try add(add(mul(apply(LayerNormJacobianPrim(eps: 1e-5), [x, tx]), g), mul(layerNorm(x, eps: 1e-5), tg)), tb)
            for threads in [1, 2] {
                Kernels.threads = threads
                let fused = try apply(LayerNormAffineTangentPrim(eps: 1e-5), [x, g, tx, tg, tb])
                #expect(fused.scalars.map(\.bitPattern) == composed.scalars.map(\.bitPattern), "D = \(d), \(threads) threads")
                let (_, viaJVP) = try Autodiff.jvp(at: [x, g, fx.normal([d])], tangents: [tx, tg, tb]) { p in
                    try layerNormAffine(p[0], p[1], p[2], eps: 1e-5)
                }
                #expect(viaJVP.scalars.map(\.bitPattern) == composed.scalars.map(\.bitPattern))
            }
        }
        let x = fx.normal([4, 8])
        #expect(throws: TensorError.self) { try apply(LayerNormAffineTangentPrim(eps: 1e-5), [x, fx.normal([8]), fx.normal([4, 7]), fx.normal([8]), fx.normal([8])]) }
        #expect(throws: TensorError.self) { try apply(LayerNormAffineTangentPrim(eps: 1e-5), [x, fx.normal([8]), x, fx.normal([7]), fx.normal([8])]) }
        #expect(throws: TensorError.self) { try apply(LayerNormAffineTangentPrim(eps: 1e-5), [x, fx.normal([8]), x]) }
    }

    @Test func fusedRowKernelsAreBitIdenticalAcrossThreadCounts() throws {
        var fx = Fixture(seed: 16)
        // Large enough that the row kernels split over two threads.
        let x = fx.normal([16, 4, 64, 64]), v = fx.normal([16, 4, 64, 64])
        let rows = x.count / 64
        func run(_ threads: Int) -> [[UInt32]] {
            let s = Tensor(uninitialized: x.shape), j = Tensor(uninitialized: x.shape)
            Kernels.causalSoftmaxRows(x.storage.pointer, s.storage.pointer, rows: rows, cols: 64, scale: 0.2, threads: threads)
            Kernels.softmaxJacobianRows(s.storage.pointer, v.storage.pointer, j.storage.pointer, rows: rows, cols: 64, scale: 0.2, threads: threads)
            return [s.scalars.map(\.bitPattern), j.scalars.map(\.bitPattern)]
        }
        #expect(run(1) == run(2))
    }
}
