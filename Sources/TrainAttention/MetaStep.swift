import NN
import TensorCore

/// One meta-step of Train-Attention over a batch of META examples: for each example the
/// base model θ restarts from the same point, takes the inner step on the document with
/// φ's token weights, and is scored on the task; φ's gradients are averaged over the batch.
public struct MetaStep {
    public let lm: LanguageModel
    public let ta: TrainAttentionModel
    public var engine: MetaEngine
    public var inner: InnerStep
    public var innerSteps: Int = 1

    public init(lm: LanguageModel, ta: TrainAttentionModel, engine: MetaEngine, inner: InnerStep, innerSteps: Int = 1) {
        self.lm = lm
        self.ta = ta
        self.engine = engine
        self.inner = inner
        self.innerSteps = innerSteps
    }

    /// The inner step updates the base model's trainable parameters.
    var thetaPaths: [String] { lm.trainableParameters.paths }

    /// The problem of one example as functions of θ (trainable tensors) for the engines.
    func unit(_ ex: MetaExample, theta paths: [String]) throws(NNError) -> (MetaUnit, TokenBatch) {
        let pad = 0, context = lm.config.context
        let doc = try ex.documentBatch(padId: pad, context: min(context, ta.config.context - 1))
        let (task, objectMask) = try ex.taskBatch(padId: pad, context: context)
        let objectCount = objectMask.scalars.reduce(0, +)
        guard objectCount > 0 else { throw .invalidInput("the task's object lies beyond the model's context") }
        let base = lm.params, lm = lm
        let full: ([Tensor]) throws -> ParameterSet = { xs in try base.applying(ParameterSet(Array(zip(paths, xs)))) }
        let unit = MetaUnit(
            tokenLosses: { xs in try reshape(lm.tokenLosses(params: full(xs), batch: doc), [doc.length]) },
            taskLoss: { xs in try div(sum(mul(lm.tokenLosses(params: full(xs), batch: task), objectMask)), objectCount) },
            mask: try nn { try reshape(doc.mask, [doc.length]) })
        return (unit, doc)
    }

    /// φ's averaged meta-gradient and the mean meta-loss (task NLL after the inner step).
    public func gradients(_ batch: [MetaExample]) throws(NNError) -> (metaLoss: Double, grads: ParameterSet) {
        guard !batch.isEmpty else { throw .invalidInput("a meta-step needs at least one example") }
        let trainable = lm.trainableParameters
        let paths = trainable.paths, theta = trainable.tensors
        let phiPaths = ta.params.paths
        let phi = ta.params.tensors
        var total: [Tensor]? = nil
        var loss = 0.0
        for ex in batch {
            let (unit, doc) = try unit(ex, theta: paths)
            let ta = ta
            let weights: ([Tensor]) throws -> Tensor = { ph in
                try reshape(ta.weights(params: ParameterSet(Array(zip(phiPaths, ph))), batch: doc), [doc.length])
            }
            let r = try nn { try MetaGradients.compute(engine: engine, phi: phi, theta: theta, unit: unit, weights: weights, inner: inner, innerSteps: innerSteps) }
            loss += Double(r.metaLoss)
            if let t = total {
                total = try nn { try zip(t, r.grads).map { try add($0, $1) } }
            } else {
                total = r.grads
            }
        }
        let n = Float(batch.count)
        let mean = try nn { try (total ?? []).map { try div($0, n) } }
        return (loss / Double(batch.count), try ParameterSet(Array(zip(phiPaths, mean))))
    }
}
