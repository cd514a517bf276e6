import Foundation
import TensorCore

/// `attention`: the per-head products of self-attention at the `small` training config's
/// shape (batch 16, 64 positions, 4 heads of width 32), 1 and 2 threads, in GFLOP/s.
/// Cases (`TAALM_BENCH_CASE=name` runs one):
/// - `scores`: Q·Kᵀ per head ([B, T, H, d] × [B, T, H, d] → [B, H, T, T]);
/// - `context`: P·V ([B, H, T, T] × [B, T, H, d] → [B, T, H, d]);
/// - `context:T`: Pᵀ·U (the value and key gradients).
enum AttentionBench: BenchSection {
    static let name = "attention"

    static func run(_ report: Reporter) {
        let (b, t, h, d) = (16, 64, 4, 32)
        do {
            var rng = TaalmRNG(seed: 1)
            let q = try Tensor.randomNormal([b, t, h, d], rng: &rng)
            let k = try Tensor.randomNormal([b, t, h, d], rng: &rng)
            let p = try causalSoftmax(headScores(q, k), scale: 0.2)
            let flops = Double(2 * b * h * t * t * d)
            let threadCounts = benchThreadCounts()
            let cases: [(String, () throws -> Tensor)] = [
                ("scores", { try headScores(q, k) }),
                ("context", { try headContext(p, k) }),
                ("context:T", { try headContext(p, k, transA: true) }),
            ]
            let saved = Kernels.threads
            defer { Kernels.threads = saved }
            for (label, body) in cases where benchRunsCase(label) {
                for threads in threadCounts {
                    Kernels.threads = threads
                    var failure: Error?
                    let secs = medianSeconds {
                        do { _ = try body() } catch { failure = error }
                    }
                    if let failure { throw failure }
                    report.record(section: name, case: label, threads: threads, metric: "gflops", value: flops / secs / 1e9)
                }
            }
        } catch {
            FileHandle.standardError.write(Data("taalm-bench attention: \(error)\n".utf8))
        }
    }
}
