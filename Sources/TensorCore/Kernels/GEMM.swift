// TEMPORARY naive GEMM: replaced by the blocked SIMD kernel from branch `kernels`.
public enum Kernels {
    nonisolated(unsafe) public static var threads: Int = 1

    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int,
                             accumulate: Bool, threads: Int? = nil) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k {
                    let av = transA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                    s += av * bv
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s
            }
        }
    }

    public static func sgemmBatched(batch: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                    a: UnsafePointer<Float>, lda: Int, strideA: Int,
                                    b: UnsafePointer<Float>, ldb: Int, strideB: Int,
                                    c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int,
                                    accumulate: Bool, threads: Int? = nil) {
        for i in 0..<batch {
            sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a + i * strideA, lda: lda,
                  b: b + i * strideB, ldb: ldb, c: c + i * strideC, ldc: ldc, accumulate: accumulate, threads: threads)
        }
    }
}
