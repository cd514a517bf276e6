import NN
import TensorCore

/// The gradient of one token-weighted training step: the policy's weights (no graph, not
/// differentiated), NN's normalised weighted loss on the batch, and its gradient over the
/// model's trainable parameters. CKL's protocol and Train-Attention's held-out validation
/// both train with it.
public struct WeightedGradient {
    /// The weighted loss before the update.
    public let loss: Tensor
    /// The parameters the gradient is for (the model's trainable ones).
    public let trainable: ParameterSet
    /// ∂loss/∂trainable, path by path.
    public let grads: ParameterSet

    public init(_ model: LanguageModel, _ docs: DocumentBatch, weighting: any TokenWeighting) throws(NNError) {
        let weights = try nn { try Autodiff.withoutGrad { try weighting.weights(docs, model: model, params: model.params).detach() } }
        let trainable = model.trainableParameters
        let paths = trainable.paths, base = model.params, batch = docs.batch
        let (value, grads) = try nn {
            try Autodiff.valueAndGrad(at: trainable.tensors) { xs in
                var p = base
                for (path, x) in zip(paths, xs) { p[path] = x }
                return try model.weightedLoss(params: p, batch: batch, weights: weights)
            }
        }
        loss = value
        self.trainable = trainable
        self.grads = try ParameterSet(Array(zip(paths, grads)))
    }
}
