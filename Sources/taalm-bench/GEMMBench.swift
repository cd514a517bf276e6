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
    /// the thread counts.
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
