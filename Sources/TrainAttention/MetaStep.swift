import NN
import TensorCore

/// How the inner update treats a batch of META examples.
public enum InnerBatching: String, Sendable, CaseIterable {
    /// The paper's setting: θ restarts from the same point for every document, takes its
    /// own inner step, and φ's gradients are averaged over the documents.
    case perDocument = "per-document"
    /// One inner step on the whole batch (the mean of the documents' weighted losses),
    /// scored on all tasks at once: cheaper, and what a batched reference implementation does.
    case shared
}

/// One meta-step of Train-Attention over a batch of META examples: the base model θ takes
/// the inner step on the documents with φ's token weights and is scored on the tasks.
public struct MetaStep {
    public let lm: LanguageModel
    public let ta: TrainAttentionModel
    public var engine: MetaEngine
    public var inner: InnerStep
    public var innerSteps: Int = 1
    public var batching: InnerBatching = .perDocument

    public init(lm: LanguageModel, ta: TrainAttentionModel, engine: MetaEngine, inner: InnerStep,
                innerSteps: Int = 1, batching: InnerBatching = .perDocument) {
        self.lm = lm
        self.ta = ta
        self.engine = engine
        self.inner = inner
        self.innerSteps = innerSteps
        self.batching = batching
    }

    /// The problem of some examples (one inner step shared by them) as functions of θ.
    func unit(_ examples: [MetaExample], theta paths: [String]) throws(NNError) -> (MetaUnit, TokenBatch) {
        let context = lm.config.context, docContext = min(context, ta.config.context - 1)
        let doc = try TokenBatch(sequences: examples.map { Array($0.document.prefix(docContext + 1)) }, padId: 0, maxLength: docContext)
        let task = try TokenBatch(sequences: examples.map { Array($0.task.prefix(context + 1)) }, padId: 0, maxLength: context)
        // Target t predicts token t+1: the object's tokens are targets lowerBound-1 ..< upperBound-1.
        var objectRows = [Float](repeating: 0, count: examples.count * task.length)
        for (r, ex) in examples.enumerated() {
            for pos in ex.taskObject where pos - 1 < task.length { objectRows[r * task.length + pos - 1] = 1 }
            guard objectRows[(r * task.length)..<((r + 1) * task.length)].contains(1) else {
                throw .invalidInput("the task object of example \(r) lies beyond the model's context")
            }
        }
        let objectMask = try nn { try Tensor(shape: [examples.count, task.length], values: objectRows) }
        let objectCounts = try nn { try sum(objectMask, axes: [1]) }
        let base = lm.params, lm = lm
        let full: ([Tensor]) throws -> ParameterSet = { xs in try base.applying(ParameterSet(Array(zip(paths, xs)))) }
        let unit = MetaUnit(
            tokenLosses: { xs in try lm.tokenLosses(params: full(xs), batch: doc) },
            // Mean NLL of each task's object tokens, then the mean over tasks.
            taskLoss: { xs in try mean(div(sum(mul(lm.tokenLosses(params: full(xs), batch: task), objectMask), axes: [1]), objectCounts)) },
            mask: doc.mask)
        return (unit, doc)
    }

    /// φ's meta-gradient (averaged over the documents) and the mean meta-loss (task NLL
    /// after the inner step).
    public func gradients(_ batch: [MetaExample]) throws(NNError) -> (metaLoss: Double, grads: ParameterSet) {
        guard !batch.isEmpty else { throw .invalidInput("a meta-step needs at least one example") }
        let trainable = lm.trainableParameters
        let paths = trainable.paths, theta = trainable.tensors
        let phiPaths = ta.params.paths, phi = ta.params.tensors
        let groups: [[MetaExample]] = batching == .shared ? [batch] : batch.map { [$0] }
        var total: [Tensor]? = nil
        var loss = 0.0
        for group in groups {
            let (unit, doc) = try unit(group, theta: paths)
            let ta = ta
            let weights: ([Tensor]) throws -> Tensor = { ph in try ta.weights(params: ParameterSet(Array(zip(phiPaths, ph))), batch: doc) }
            let r = try nn { try MetaGradients.compute(engine: engine, phi: phi, theta: theta, unit: unit, weights: weights, inner: inner, innerSteps: innerSteps) }
            loss += Double(r.metaLoss)
            if let t = total {
                total = try nn { try zip(t, r.grads).map { try add($0, $1) } }
            } else {
                total = r.grads
            }
        }
        let n = Float(groups.count)
        // One group (shared batching) is its own mean: no pass dividing every φ gradient by 1.
        let averaged = try nn { groups.count == 1 ? total ?? [] : try (total ?? []).map { try div($0, n) } }
        return (loss / Double(groups.count), try ParameterSet(Array(zip(phiPaths, averaged))))
    }
}

extension MetaStep {
    /// Per-token meta-gradients of one example: d_i = ⟨∇θ' L_meta(θ'), ∇θ ℓ_i(θ)⟩, where θ'
    /// is θ after one SGD step (learning rate `lr`) on the document weighted by `weights`
    /// ([1, T], or φ's weights when nil). d_i > 0: a step on token i alone lowers the
    /// task's loss — how much that token's own update would help the task. All of them
    /// come from one forward-mode JVP of the per-token losses along g.
    public func tokenMetaGradients(_ ex: MetaExample, weights: Tensor? = nil, lr: Float = 0.03) throws(NNError) -> [Float] {
        let trainable = lm.trainableParameters
        let (unit, doc) = try unit([ex], theta: trainable.paths)
        let w: Tensor
        if let weights { w = weights } else { w = try nn { try Autodiff.withoutGrad { try ta.weights(batch: doc) } } }
        guard w.shape == doc.mask.shape else {
            throw .invalidInput("weights of shape \(shapeString(w.shape)) for a document of shape \(shapeString(doc.mask.shape))")
        }
        return try nn {
            let theta = trainable.tensors
            let G = try Autodiff.grad(at: theta) { th in try weightedLoss(unit, th, w, eps: 1e-8) }
            let thetaPrime = try Autodiff.withoutGrad { try zip(theta, G).map { try sub($0, mul(lr, $1)) } }
            let g = try Autodiff.grad(at: thetaPrime) { th in try unit.taskLoss(th) }
            let d = try Autodiff.jvp(at: theta, tangents: g) { th in try unit.tokenLosses(th) }.tangent
            return Array(d.scalars.prefix(doc.lengths[0]))
        }
    }
}
