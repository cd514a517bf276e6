import Foundation
import Interrupts
import NN
import TensorCore

/// Settings of Train-Attention's meta-training (defaults: the reference study's `small`).
public struct MetaTrainingConfig: Sendable {
    public var engine: MetaEngine = .forward
    /// The base model's inner step (study: plain SGD, α = 0.03, one differentiable step).
    public var inner: InnerStep = .sgd(lr: 0.03)
    /// The paper restarts θ for every document (per-document); `shared` steps once per batch.
    public var batching: InnerBatching = .perDocument
    /// Examples per outer step (their φ-gradients are averaged).
    public var unitsPerStep: Int = 16
    public var steps: Int = 300
    /// φ's optimiser (study: AdamW 1e-3).
    public var outer: OptimizerConfig = .adamw(lr: 1e-3, weightDecay: 0.01)
    /// Evaluate on the held-out examples every this many steps (and at the end).
    public var evalEvery: Int = 50
    /// Held-out task accuracy after a short weighted training run (nil: skip, it is the slow part).
    public var validation: WeightedTraining? = nil
    /// Which held-out example's weights to snapshot at each evaluation (for teaching).
    public var snapshotExample: Int = 0
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws(NNError) {
        guard unitsPerStep >= 1 else { throw .invalidConfig("units per step must be ≥ 1") }
        guard steps >= 1 else { throw .invalidConfig("steps must be ≥ 1") }
        guard evalEvery >= 1 else { throw .invalidConfig("evalEvery must be ≥ 1") }
        guard inner.lr > 0, inner.lr.isFinite else { throw .invalidConfig("the inner learning rate must be positive") }
        try outer.validate()
    }
}

/// One evaluation during meta-training.
public struct MetaEvaluation: Sendable {
    public var step: Int
    /// Mean meta-loss (task NLL after one inner step) on the held-out examples.
    public var heldOutMetaLoss: Double
    public var agreement: Agreement
    /// Held-out task accuracy after weighted training (when configured).
    public var validationAccuracy: Double?
    /// φ's weights on the snapshot document at this step.
    public var snapshot: [Float]
}

/// What meta-training produced.
public struct MetaTrainingResult: Sendable {
    /// Mean meta-loss of each outer step's batch.
    public var metaLosses: [Double]
    public var evaluations: [MetaEvaluation]
    public var interrupted: Bool
    public var seconds: Double
    /// The snapshot document's tokens (to show the snapshots against).
    public var snapshotDocument: [Int]
}

/// Meta-trains a Train-Attention model φ against a base model θ on META examples.
public final class MetaTrainer {
    public let lm: LanguageModel
    public let ta: TrainAttentionModel
    public let config: MetaTrainingConfig
    public let optimizer: Optimizer

    public init(lm: LanguageModel, ta: TrainAttentionModel, config: MetaTrainingConfig) throws(NNError) {
        try config.validate()
        guard lm.config.vocabSize == ta.config.vocabSize else {
            throw .invalidConfig("Train-Attention's vocabulary (\(ta.config.vocabSize)) differs from the base model's (\(lm.config.vocabSize)); build it from the same tokenizer")
        }
        self.lm = lm
        self.ta = ta
        self.config = config
        optimizer = try Optimizer(config.outer)
    }

    var step: MetaStep { MetaStep(lm: lm, ta: ta, engine: config.engine, inner: config.inner, batching: config.batching) }

    /// Evaluates φ on held-out examples (no update).
    public func evaluate(_ heldOut: [MetaExample], at stepIndex: Int) throws(NNError) -> MetaEvaluation {
        var loss = 0.0
        for ex in heldOut {
            loss += try step.gradients([ex]).metaLoss
        }
        let agreement = try ta.agreement(heldOut)
        let validation = try config.validation.map { v throws(NNError) in
            try v.accuracy(lm, examples: heldOut, weighting: TrainAttentionWeighting(ta))
        }
        let snapshotIndex = min(max(config.snapshotExample, 0), max(heldOut.count - 1, 0))
        let snapshot = heldOut.isEmpty ? [] : try ta.documentWeights([heldOut[snapshotIndex]])[0]
        return MetaEvaluation(step: stepIndex, heldOutMetaLoss: heldOut.isEmpty ? .nan : loss / Double(heldOut.count),
                              agreement: agreement, validationAccuracy: validation, snapshot: snapshot)
    }

    /// Runs the configured number of outer steps over `examples` (shuffled, seeded), with
    /// evaluations on `heldOut`. Ctrl-C stops after the current step with φ intact.
    public func train(_ examples: [MetaExample], heldOut: [MetaExample],
                      progress: ((Int, Int, Double) -> Void)? = nil) throws(NNError) -> MetaTrainingResult {
        guard !examples.isEmpty else { throw .invalidInput("meta-training needs at least one META example") }
        let start = Date()
        var rng = TaalmRNG(seed: config.seed)
        var order: [Int] = []
        var losses: [Double] = []
        var evaluations = [try evaluate(heldOut, at: 0)]
        var interrupted = false
        for s in 1...config.steps {
            if Interrupt.take() { interrupted = true; break }
            var batch: [MetaExample] = []
            while batch.count < min(config.unitsPerStep, examples.count) {
                if order.isEmpty {
                    order = Array(examples.indices)
                    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
                }
                batch.append(examples[order.removeLast()])
            }
            let (loss, grads) = try step.gradients(batch)
            guard loss.isFinite else { throw .nonFiniteLoss(step: s, value: Float(loss)) }
            ta.params = try ta.params.applying(optimizer.step(params: ta.params, grads: grads))
            losses.append(loss)
            progress?(s, config.steps, loss)
            if s % config.evalEvery == 0 || s == config.steps { evaluations.append(try evaluate(heldOut, at: s)) }
        }
        if interrupted, let last = evaluations.last, last.step != losses.count {
            evaluations.append(try evaluate(heldOut, at: losses.count))
        }
        let snapshotIndex = min(max(config.snapshotExample, 0), max(heldOut.count - 1, 0))
        return MetaTrainingResult(metaLosses: losses, evaluations: evaluations, interrupted: interrupted,
                                  seconds: Date().timeIntervalSince(start),
                                  snapshotDocument: heldOut.isEmpty ? [] : heldOut[snapshotIndex].document)
    }
}
