import Foundation
import NN
import TensorCore
import TrainAttention

/// The `meta` section: one Train-Attention meta-step (φ's gradient through one SGD inner
/// step of θ, α = 1e-2) with θ = the `small` LM config (vocab 512, d 128, 4 layers, 4 heads,
/// context 64), φ = 2 layers at the same width, a document batch of 8×64 tokens sharing
/// the inner step and a task batch of 8×16 — for each engine: median ms per meta-step,
/// peak live tensor memory, and its growth during the step (peak − live before the step).
/// Cases: `forward` (engine b: one JVP, no second-order reverse pass) and `second-order`
/// (engine a: reverse mode through the recorded inner step).
enum MetaBench: BenchSection {
    static let name = "meta"

    static func run(_ report: Reporter) {
        do {
            let lm = try LanguageModel(config: TransformerConfig(vocabSize: 512, dModel: 128, layers: 4, heads: 4, context: 64), seed: 1)
            let ta = try TrainAttentionModel(config: TransformerConfig(vocabSize: 512, dModel: 128, layers: 2, heads: 4, context: 65), seed: 2)
            var rng = TaalmRNG(seed: 3)
            let examples: [MetaExample] = try (0..<8).map { _ in
                let doc = (0...64).map { _ in 4 + rng.nextInt(below: 508) }
                let task = (0..<17).map { _ in 4 + rng.nextInt(below: 508) }
                return try MetaExample(document: doc, documentObject: [30..<32], task: task, taskObject: 15..<17)
            }
            // `TAALM_BENCH_CASE=forward` (or `second-order`; formerly `TAALM_BENCH_META`) runs only that engine.
            for engine in [MetaEngine.forward, .secondOrder] where benchRunsCase(engine.rawValue, legacy: "TAALM_BENCH_META") {
                let step = MetaStep(lm: lm, ta: ta, engine: engine, inner: .sgd(lr: 1e-2), batching: .shared)
                for _ in 0..<2 { _ = try step.gradients(examples) }   // warm-up: pools and packing buffers
                var times: [Double] = [], growth: [Double] = [], peaks: [Double] = [], cpu: [Double] = []
                let clock = ContinuousClock(), start = clock.now
                while times.count < 30 && (times.count < 5 || TrainBench.seconds(clock.now - start) < 4) {
                    let before = BufferPool.shared.liveBytes
                    BufferPool.shared.resetPeak()
                    let t0 = clock.now, c0 = TrainBench.threadCPUSeconds()
                    _ = try step.gradients(examples)
                    cpu.append((TrainBench.threadCPUSeconds() - c0) * 1000)
                    times.append(TrainBench.seconds(clock.now - t0) * 1000)
                    peaks.append(Double(BufferPool.shared.peakLiveBytes) / 1_048_576)
                    growth.append(Double(BufferPool.shared.peakLiveBytes - before) / 1_048_576)
                }
                try Profile.run("meta \(engine.rawValue)") { _ = try step.gradients(examples) }
                report.record(section: "meta", case: engine.rawValue,
                              [("ms", median(times)), ("min_ms", times.min() ?? .nan), ("peak_mb", median(peaks)), ("growth_mb", median(growth))])
                if ProcessInfo.processInfo.environment["TAALM_BENCH_CPU"] != nil {
                    FileHandle.standardError.write(Data("meta \(engine.rawValue): median calling-thread CPU \(TrainBench.fmt(median(cpu))) ms/step (min \(TrainBench.fmt(cpu.min() ?? .nan)))\n".utf8))
                }
            }
        } catch {
            report.note("meta: error: \(error)")
        }
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? .nan : s[s.count / 2]
    }
}
