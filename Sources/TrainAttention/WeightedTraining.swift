import Interrupts
import NN
import TensorCore

/// A short token-weighted training run of a copy of the base model on some documents,
/// then the task accuracy over each example's object tokens: Train-Attention's held-out
/// validation ("does training with φ's weights teach the facts?").
public struct WeightedTraining: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerConfig
    public var seed: UInt64

    public init(epochs: Int = 5, batchSize: Int = 8, optimizer: OptimizerConfig = .adamw(lr: 1e-3), seed: UInt64 = 0) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
    }

    /// Trains a copy of `lm` on the examples' documents with `weighting`, and returns the
    /// mean teacher-forced accuracy over the task objects afterwards. `lm` is unchanged.
    public func accuracy(_ lm: LanguageModel, examples: [MetaExample], weighting: TokenWeighting) throws(NNError) -> Double {
        guard !examples.isEmpty else { throw .invalidInput("validation needs at least one example") }
        guard epochs >= 1, batchSize >= 1 else { throw .invalidConfig("validation needs epochs ≥ 1 and batch ≥ 1") }
        let model = try LanguageModel(config: lm.config, tokenizer: lm.tokenizer, params: lm.params.detached())
        model.frozen = lm.frozen
        let opt = try Optimizer(optimizer)
        var rng = TaalmRNG(seed: seed)
        let context = lm.config.context
        training: for _ in 0..<epochs {
            var order = Array(examples.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            for start in stride(from: 0, to: order.count, by: batchSize) {
                // Ctrl-C: stop training here and measure; the caller takes the interrupt.
                if Interrupt.isRequested { break training }
                let chunk = order[start..<min(start + batchSize, order.count)].map { examples[$0] }
                let batch = try TokenBatch(sequences: chunk.map { Array($0.document.prefix(context + 1)) }, padId: 0, maxLength: context)
                var objectRows: [Float] = []
                for ex in chunk {
                    var row = try ex.objectMask(length: batch.length).scalars
                    row += [Float](repeating: 0, count: max(0, batch.length - row.count))
                    objectRows += row.prefix(batch.length)
                }
                let objectMask = try nn { try Tensor(shape: [chunk.count, batch.length], values: objectRows) }
                let docs = DocumentBatch(batch: batch, objectMask: objectMask)
                let step = try WeightedGradient(model, docs, weighting: weighting)
                let updated = try opt.step(params: step.trainable, grads: step.grads)
                model.params = try model.params.applying(updated)
            }
        }
        let accs = try model.spanAccuracy(examples.map { Array($0.task.prefix(context + 1)) },
                                          spans: examples.map { $0.taskObject.clamped(to: 1..<min($0.task.count, context + 1) + 1) })
        return accs.reduce(0, +) / Double(accs.count)
    }
}
