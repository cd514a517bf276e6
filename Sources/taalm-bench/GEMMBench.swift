import Foundation
import TensorCore

/// `gemm`: single-precision matrix product throughput (GFLOP/s = 2·m·k·n / time),
/// square sizes and two skinny shapes from the transformer workload, 1 and 2 threads.
/// Case names are MxKxN.
enum GEMMBench: BenchSection {
    static let name = "gemm"

    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (64, 64, 64), (128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
        (1024, 128, 512), (64, 128, 128),
    ]

    /// `TAALM_BENCH_GEMM=MxKxN[,MxKxN...]` replaces the default shapes, each optionally
    /// with a transposition suffix `:NT`, `:TN` or `:TT` (op(A), op(B); the backward pass's
    /// products are of these kinds), e.g. `128x1024x384:TN`; `TAALM_BENCH_THREADS=1,2`
    /// the thread counts. `TAALM_BENCH_OPENBLAS=/path/libopenblas.so` also times OpenBLAS
    /// on each case in the same process (`TAALM_BENCH_ROUNDS` alternating rounds, default 5)
    /// and reports both medians and their ratio.
    static func run(_ report: Reporter) {
        let env = ProcessInfo.processInfo.environment
        var shapes = self.shapes.map { (m: $0.m, k: $0.k, n: $0.n, ta: false, tb: false) }
        if let spec = env["TAALM_BENCH_GEMM"] {
            shapes = spec.split(separator: ",").compactMap { item in
                let parts = item.split(separator: ":")
                let d = parts[0].split(separator: "x").compactMap { Int($0) }
                let trans = parts.count > 1 ? Array(parts[1].uppercased()) : ["N", "N"]
                guard d.count == 3, d.allSatisfy({ $0 > 0 }), trans.count == 2 else { return nil }
                return (d[0], d[1], d[2], trans[0] == "T", trans[1] == "T")
            }
        }
        let threadCounts = benchThreadCounts()
        var reference: OpenBLASReference?
        if let path = env["TAALM_BENCH_OPENBLAS"] {
            let (loaded, problem) = OpenBLASReference.load(path)
            reference = loaded
            if let problem { report.note("gemm: no OpenBLAS reference: \(problem)") }
        }
        if let reference {
            let rounds = env["TAALM_BENCH_ROUNDS"].flatMap(Int.init).map { max(1, $0) } ?? 5
            for s in shapes { compare(s, threadCounts, reference, rounds: rounds, report) }
            return
        }
        for s in shapes {
            let a = randomBuffer(s.m * s.k, seed: 1)
            let b = randomBuffer(s.k * s.n, seed: 2)
            let c = UnsafeMutablePointer<Float>.allocate(capacity: s.m * s.n)
            defer { a.deallocate(); b.deallocate(); c.deallocate() }
            for t in threadCounts {
                let secs = medianSeconds {
                    Kernels.sgemm(transA: s.ta, transB: s.tb, m: s.m, n: s.n, k: s.k,
                                  a: a, lda: s.ta ? s.m : s.k, b: b, ldb: s.tb ? s.k : s.n, c: c, ldc: s.n,
                                  accumulate: false, threads: t)
                }
                let gflops = 2.0 * Double(s.m * s.k * s.n) / secs / 1e9
                let suffix = s.ta || s.tb ? ":" + (s.ta ? "T" : "N") + (s.tb ? "T" : "N") : ""
                report.record(section: name, case: "\(s.m)x\(s.k)x\(s.n)\(suffix)", threads: t,
                              metric: "gflops", value: gflops)
            }
        }
    }
}

extension GEMMBench {
    /// Ours and OpenBLAS's on one case: `rounds` alternating medians (each `medianSeconds`,
    /// with a pause between so neither library's spinning threads take the other's core),
    /// the median of each side's round medians, and their ratio.
    static func compare(_ s: (m: Int, k: Int, n: Int, ta: Bool, tb: Bool), _ threadCounts: [Int],
                        _ blas: OpenBLASReference, rounds: Int, _ report: Reporter) {
        let a = randomBuffer(s.m * s.k, seed: 1)
        let b = randomBuffer(s.k * s.n, seed: 2)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: s.m * s.n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n
        let flops = 2.0 * Double(s.m * s.k * s.n)
        let suffix = s.ta || s.tb ? ":" + (s.ta ? "T" : "N") + (s.tb ? "T" : "N") : ""
        for t in threadCounts {
            blas.set(threads: t)
            var ours: [Double] = [], theirs: [Double] = []
            for _ in 0..<rounds {
                ours.append(flops / medianSeconds {
                    Kernels.sgemm(transA: s.ta, transB: s.tb, m: s.m, n: s.n, k: s.k, a: a, lda: lda, b: b, ldb: ldb,
                                  c: c, ldc: s.n, accumulate: false, threads: t)
                } / 1e9)
                usleep(150_000)
                theirs.append(flops / medianSeconds {
                    blas.sgemm(transA: s.ta, transB: s.tb, m: s.m, n: s.n, k: s.k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: s.n)
                } / 1e9)
                usleep(150_000)
            }
            let mine = median(ours), ref = median(theirs)
            report.record(section: name, case: "\(s.m)x\(s.k)x\(s.n)\(suffix)",
                          [("gflops", mine), ("openblas_gflops", ref), ("ratio", mine / ref)], threads: t)
        }
    }
}

/// A buffer of `count` floats uniform in [-1, 1) from a fixed-seed generator.
func randomBuffer(_ count: Int, seed: UInt64) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    for i in 0..<count {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        p[i] = Float(state >> 40) / Float(1 << 23) - 1
    }
    return p
}
