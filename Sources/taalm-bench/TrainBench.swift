import Foundation
import NN
import TensorCore

/// The `train` section: one optimiser step (forward, loss, backward, AdamW update) of a
/// decoder-only LM, as median ms/step, tokens/s and peak live tensor memory.
///
/// Cases (fixed by issue #4): `small` — vocab 512, d_model 128, 4 layers, 4 heads,
/// MLP 4× GELU, pre-LayerNorm, learned positions, context 64, batch 16; `tiny` — the same
/// with d_model 64, 2 layers, 2 heads, context 32, batch 8. Batches are full windows of
/// random tokens (seeded), so every position is a real target.
enum TrainBench: BenchSection {
    static let name = "train"
    struct Case {
        let name: String
        let config: TransformerConfig
        let batch: Int
    }

    static let cases: [Case] = [
        Case(name: "small", config: TransformerConfig(vocabSize: 512, dModel: 128, layers: 4, heads: 4, context: 64), batch: 16),
        Case(name: "tiny", config: TransformerConfig(vocabSize: 512, dModel: 64, layers: 2, heads: 2, context: 32), batch: 8),
    ]

    /// `TAALM_BENCH_CASE=tiny` (or `small`, comma-separated; formerly `TAALM_BENCH_TRAIN`)
    /// runs only those cases.
    static func run(_ report: Reporter) {
        for c in cases where benchRunsCase(c.name, legacy: "TAALM_BENCH_TRAIN") {
            do {
                let r = try measure(c)
                let tokens = c.batch * c.config.context
                let tps = Double(tokens) / (r.ms / 1000)
                report.record(section: "train", case: c.name,
                              [("ms", r.ms), ("min_ms", r.minMS), ("tokens_per_s", tps), ("peak_mb", r.peakMB)])
                report.note("train \(c.name): \(r.params) parameters, median of \(r.steps) steps")
            } catch {
                report.note("train \(c.name): error: \(error)")
            }
        }
    }

    static func fmt(_ x: Double) -> String { String(format: "%.2f", x) }

    /// The median and the fastest step (on a shared machine the minimum is the step least
    /// disturbed by other work), peak live memory, parameter count and steps timed.
    static func measure(_ c: Case, budgetSeconds: Double = 3, maxSteps: Int = 60) throws -> (ms: Double, minMS: Double, peakMB: Double, params: Int, steps: Int) {
        let model = try LanguageModel(config: c.config, seed: 1)
        var rng = TaalmRNG(seed: 2)
        let seqs = (0..<c.batch).map { _ in (0...c.config.context).map { _ in 4 + rng.nextInt(below: c.config.vocabSize - 4) } }
        let batch = try TokenBatch(sequences: seqs, padId: 0, maxLength: c.config.context)
        let opt = try Optimizer(.adamw(lr: 1e-4))
        // Warm-up: fills the buffer pool and the kernels' packing buffers.
        for _ in 0..<3 { try model.trainStep(batch, optimizer: opt) }
        BufferPool.shared.resetPeak()
        let clock = ContinuousClock()
        var times: [Double] = [], cpu: [Double] = []
        let start = clock.now
        while times.count < maxSteps && (times.count < 5 || seconds(clock.now - start) < budgetSeconds) {
            let t0 = clock.now, c0 = threadCPUSeconds()
            try model.trainStep(batch, optimizer: opt)
            cpu.append((threadCPUSeconds() - c0) * 1000)
            times.append(seconds(clock.now - t0) * 1000)
        }
        times.sort()
        if ProcessInfo.processInfo.environment["TAALM_BENCH_CPU"] != nil {
            // The calling thread's CPU time per step: on one kernel thread, the step's work
            // without the time other processes take from it (a steadier figure on a shared machine).
            cpu.sort()
            // The minimum is the least-disturbed step (steadiest when other work shares the cores).
            FileHandle.standardError.write(Data("train \(c.name): median calling-thread CPU \(fmt(cpu[cpu.count / 2])) ms/step (min \(fmt(cpu[0])))\n".utf8))
        }
        let peak = Double(BufferPool.shared.peakLiveBytes) / 1_048_576
        try Profile.run("train \(c.name)") { try model.trainStep(batch, optimizer: opt) }
        return (times[times.count / 2], times[0], peak, model.parameterCount, times.count)
    }

    /// CPU time consumed by the calling thread so far.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}
