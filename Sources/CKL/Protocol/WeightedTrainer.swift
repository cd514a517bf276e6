import NN
import TensorCore
import TrainAttention

/// One training step of a CKL run: the policy's token weights, NN's normalised weighted
/// loss (padding masked for every method alike), the optimizer's update of the trainable
/// parameters, and RecAdam's pull when the method has it.
struct WeightedTrainer {
    let model: LanguageModel
    let optimizer: Optimizer
    let weighting: any TokenWeighting
    let recAdam: RecAdamPull?

    /// Trains on `docs`; returns the weighted loss before the update. A non-finite loss or
    /// gradient throws and leaves the model unchanged.
    func step(_ docs: DocumentBatch) throws(CKLError) -> Float {
        let lm = model
        let weights = try CKL.model { () throws(NNError) in
            try nn { try Autodiff.withoutGrad { try weighting.weights(docs, model: lm, params: lm.params).detach() } }
        }
        let trainable = lm.trainableParameters
        guard !trainable.isEmpty else { throw .invalidConfiguration("nothing to train: every parameter is frozen") }
        let paths = trainable.paths
        let base = lm.params
        let batch = docs.batch
        let (value, grads) = try CKL.model { () throws(NNError) in
            try nn {
                try Autodiff.valueAndGrad(at: trainable.tensors) { xs in
                    var p = base
                    for (path, x) in zip(paths, xs) { p[path] = x }
                    return try lm.weightedLoss(params: p, batch: batch, weights: weights)
                }
            }
        }
        let loss = try CKL.model { () throws(NNError) in try nn { try value.item() } }
        guard loss.isFinite else { throw .model(.nonFiniteLoss(step: optimizer.stepCount + 1, value: loss)) }
        let g = try CKL.model { () throws(NNError) in try ParameterSet(Array(zip(paths, grads))) }
        var updated = try CKL.model { () throws(NNError) in try optimizer.step(params: trainable, grads: g) }
        if let pull = recAdam {
            let t = optimizer.stepCount
            let lr = optimizer.config.lr * optimizer.config.schedule.factor(at: t)
            updated = try pull.apply(current: trainable, updated: updated, step: t, lr: lr)
        }
        lm.params = try CKL.model { () throws(NNError) in try base.applying(updated) }
        return loss
    }
}
