import Testing
import TensorCore

/// Deterministic pseudo-random floats in [-1, 1).
func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Float(state >> 40) / Float(1 << 23) - 1
    }
}

struct GEMMCase: CustomTestStringConvertible, Sendable {
    var m: Int, k: Int, n: Int
    var transA = false, transB = false
    var pad = 0            // extra leading-dimension slack
    var accumulate = false
    var testDescription: String {
        "\(m)x\(k)x\(n) tA=\(transA) tB=\(transB) pad=\(pad) acc=\(accumulate)"
    }
}

/// Runs sgemm and sgemmReference on the same random operands and returns both C's
/// plus the per-element error bound scale Σ|a||b|.
func runBoth(_ t: GEMMCase, threads: Int = 1) -> (got: [Float], want: [Float], scale: [Float]) {
    let (m, k, n) = (t.m, t.k, t.n)
    let aRows = t.transA ? k : m, aCols = t.transA ? m : k
    let bRows = t.transB ? n : k, bCols = t.transB ? k : n
    let lda = aCols + t.pad, ldb = bCols + t.pad, ldc = n + t.pad
    let a = randomFloats(max(aRows * lda, 1), seed: 11)
    let b = randomFloats(max(bRows * ldb, 1), seed: 12)
    let c0 = randomFloats(max(m * ldc, 1), seed: 13)
    var got = c0, want = c0, scale = [Float](repeating: 0, count: c0.count)
    let absA = a.map(abs), absB = b.map(abs)
    a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
        got.withUnsafeMutableBufferPointer { cp in
            Kernels.sgemm(transA: t.transA, transB: t.transB, m: m, n: n, k: k,
                          a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                          c: cp.baseAddress!, ldc: ldc, accumulate: t.accumulate, threads: threads)
        }
        want.withUnsafeMutableBufferPointer { cp in
            Kernels.sgemmReference(transA: t.transA, transB: t.transB, m: m, n: n, k: k,
                                   a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                                   c: cp.baseAddress!, ldc: ldc, accumulate: t.accumulate)
        }
    } }
    absA.withUnsafeBufferPointer { ap in absB.withUnsafeBufferPointer { bp in
        scale.withUnsafeMutableBufferPointer { sp in
            Kernels.sgemmReference(transA: t.transA, transB: t.transB, m: m, n: n, k: k,
                                   a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                                   c: sp.baseAddress!, ldc: ldc, accumulate: false)
        }
    } }
    return (got, want, scale)
}

/// Count of elements whose error exceeds 1e-5·(Σ|a||b| + |c|), padding untouched included.
func mismatches(_ r: (got: [Float], want: [Float], scale: [Float])) -> Int {
    var bad = 0
    for i in r.got.indices {
        let tol = 1e-5 * (r.scale[i] + abs(r.want[i])) + 1e-30
        if !(abs(r.got[i] - r.want[i]) <= tol) { bad += 1 }
    }
    return bad
}

let gemmShapes: [(Int, Int, Int)] = [
    (1, 1, 1), (7, 13, 5), (17, 33, 9), (1, 17, 33), (33, 1, 17), (15, 17, 31), (65, 31, 129), (100, 100, 100),
    (13, 300, 40), (25, 3, 64),
    // Odd sizes (off the 16-lane and register-tile grids) large enough to use two threads.
    (127, 129, 131), (97, 211, 103),
    // k past one depth block (A read in place over two blocks), and a row stride of at
    // least 1024 (row-major A packed instead).
    (30, 600, 40), (40, 1100, 20),
]

let gemmCases: [GEMMCase] = gemmShapes.flatMap { (m, k, n) in
    [(false, false), (true, false), (false, true), (true, true)].flatMap { (ta, tb) in
        [GEMMCase(m: m, k: k, n: n, transA: ta, transB: tb),
         GEMMCase(m: m, k: k, n: n, transA: ta, transB: tb, pad: 3, accumulate: true)]
    }
}

@Test("sgemm matches the reference on one and two threads, bit-identically", arguments: gemmCases)
func sgemmMatchesReference(_ t: GEMMCase) {
    let one = runBoth(t, threads: 1), two = runBoth(t, threads: 2)
    #expect(mismatches(one) == 0)
    #expect(mismatches(two) == 0)
    #expect(one.got.map(\.bitPattern) == two.got.map(\.bitPattern))
}

@Test("sgemm with k = 0 zeroes C or leaves it when accumulating")
func sgemmEmptyK() {
    for acc in [false, true] {
        let r = runBoth(GEMMCase(m: 5, k: 0, n: 7, pad: 2, accumulate: acc))
        #expect(r.got == r.want)
        if !acc { #expect(r.got.enumerated().allSatisfy { $0.offset % 9 >= 7 || $0.element == 0 }) }
    }
}

@Test("sgemm is bit-identical across thread counts", arguments: [
    GEMMCase(m: 300, k: 200, n: 257), GEMMCase(m: 70, k: 300, n: 333, transA: true),
    GEMMCase(m: 257, k: 513, n: 190, transB: true, accumulate: true),
    // Rows split over two column blocks (n > NC) and two depth blocks, B transposed.
    GEMMCase(m: 48, k: 300, n: 2080, transB: true, pad: 1),
    // Columns split with a transposed op(A): three row blocks, three depth blocks; and a
    // row-major A with a row stride past gemmDirectMaxLDA (packed).
    GEMMCase(m: 200, k: 600, n: 640, transA: true, accumulate: true),
    GEMMCase(m: 24, k: 1100, n: 320, pad: 2),
    // Deep products (k ≥ m, n) split along k: the weight gradient's shape, an odd count
    // of depth blocks with a partial last one (accumulating), and B transposed.
    GEMMCase(m: 128, k: 1024, n: 128, transA: true),
    GEMMCase(m: 50, k: 700, n: 37, transA: true, pad: 1, accumulate: true),
    GEMMCase(m: 13, k: 513, n: 45, transB: true, accumulate: true),
])
func sgemmThreadsBitIdentical(_ t: GEMMCase) {
    let one = runBoth(t, threads: 1)
    let two = runBoth(t, threads: 2)
    #expect(mismatches(two) == 0)
    #expect(one.got.map(\.bitPattern) == two.got.map(\.bitPattern))
}

@Test("sgemmBatched matches per-product reference, including broadcast strides")
func sgemmBatchedMatches() {
    let (m, k, n, batch) = (9, 21, 35, 5)
    for (sa, sb) in [(m * k, k * n), (0, k * n), (m * k, 0)] {
        for threads in [1, 2] {
            let a = randomFloats(m * k * batch, seed: 3), b = randomFloats(k * n * batch, seed: 4)
            var c = [Float](repeating: 7, count: m * n * batch), want = c
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    Kernels.sgemmBatched(batch: batch, transA: false, transB: false, m: m, n: n, k: k,
                                         a: ap.baseAddress!, lda: k, strideA: sa,
                                         b: bp.baseAddress!, ldb: n, strideB: sb,
                                         c: cp.baseAddress!, ldc: n, strideC: m * n,
                                         accumulate: false, threads: threads)
                }
                want.withUnsafeMutableBufferPointer { cp in
                    for i in 0..<batch {
                        Kernels.sgemmReference(transA: false, transB: false, m: m, n: n, k: k,
                                               a: ap.baseAddress! + i * sa, lda: k,
                                               b: bp.baseAddress! + i * sb, ldb: n,
                                               c: cp.baseAddress! + i * m * n, ldc: n, accumulate: false)
                    }
                }
            } }
            let maxErr = zip(c, want).map { abs($0 - $1) }.max() ?? 0
            #expect(maxErr < 1e-4, "strides \(sa),\(sb) threads \(threads)")
        }
    }
}

@Test("large sgemm with both threads matches the reference")
func sgemmLargeTwoThreads() {
    #expect(mismatches(runBoth(GEMMCase(m: 130, k: 600, n: 140, transA: true, transB: true), threads: 2)) == 0)
}

@Test("KernelProfile records this thread's primitives and GEMM flops, and nothing once stopped")
func kernelProfileRecords() throws {
    var rng = TaalmRNG(seed: 5)
    let a = try Tensor.randomNormal([64, 32], rng: &rng), b = try Tensor.randomNormal([32, 48], rng: &rng)
    KernelProfile.start()
    _ = try matmul(a, b)
    _ = try matmul(a, b)
    _ = try add(a, a)
    let entries = KernelProfile.stop()
    #expect(!KernelProfile.enabled)
    let mm = entries.first { $0.name == "matmul [64, 32] [32, 48]" }
    #expect(mm?.calls == 2)
    #expect((mm?.nanoseconds ?? 0) > 0)
    #expect(entries.first { $0.name == "add [64, 32] [64, 32]" }?.calls == 1)
    #expect(KernelProfile.gemmCalls == 2)
    #expect(KernelProfile.gemmFlops == 2 * 2 * 64 * 32 * 48)
    _ = try matmul(a, b)
    #expect(KernelProfile.gemmCalls == 2)
}
