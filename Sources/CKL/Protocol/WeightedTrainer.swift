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
        guard !lm.trainableParameters.isEmpty else { throw .invalidConfiguration("nothing to train: every parameter is frozen") }
        let step = try CKL.model { () throws(NNError) in try WeightedGradient(lm, docs, weighting: weighting) }
        let loss = try CKL.model { () throws(NNError) in try nn { try step.loss.item() } }
        guard loss.isFinite else { throw .model(.nonFiniteLoss(step: optimizer.stepCount + 1, value: loss)) }
        let trainable = step.trainable
        var updated = try CKL.model { () throws(NNError) in try optimizer.step(params: trainable, grads: step.grads) }
        if let pull = recAdam {
            let t = optimizer.stepCount
            let lr = optimizer.config.lr * optimizer.config.schedule.factor(at: t)
            updated = try pull.apply(current: trainable, updated: updated, step: t, lr: lr)
        }
        lm.params = try CKL.model { () throws(NNError) in try lm.params.applying(updated) }
        return loss
    }
}
