import NN
import TensorCore

/// The documents and task of one inner update, as functions of the base parameters: one
/// document (the paper's setting, θ restarting for each) or a batch sharing one step.
public struct MetaUnit {
    /// θ → per-token losses ℓ_bi of the documents, shape [B, T] (padding positions may
    /// hold anything: `mask` removes them).
    public var tokenLosses: ([Tensor]) throws -> Tensor
    /// θ' → the meta-loss (NLL of the task objects), a single number.
    public var taskLoss: ([Tensor]) throws -> Tensor
    /// [B, T]: 1 for real document tokens, 0 for padding.
    public var mask: Tensor

    public init(tokenLosses: @escaping ([Tensor]) throws -> Tensor, taskLoss: @escaping ([Tensor]) throws -> Tensor, mask: Tensor) {
        self.tokenLosses = tokenLosses
        self.taskLoss = taskLoss
        self.mask = mask
    }
}

/// How the meta-gradient ∂L_meta/∂φ is computed. Both give the same numbers.
public enum MetaEngine: String, CaseIterable, Sendable {
    /// Reverse mode through the recorded inner step (general: any inner rule, several steps).
    case secondOrder = "second-order"
    /// The exact forward-mode form: one JVP of the per-token losses along U'(G)⊙g, no
    /// second-order reverse pass (one inner step).
    case forward
}

/// The result of one meta-gradient computation for one unit.
public struct MetaGradient {
    /// L_meta at θ' (the task loss after the inner step).
    public var metaLoss: Float
    /// ∂L_meta/∂φ, one tensor per φ parameter.
    public var grads: [Tensor]
    /// ∂L_meta/∂w_i per document token (forward engine; nil for second-order).
    public var weightGrads: Tensor?
    /// The token weights used.
    public var weights: Tensor
}

/// The normalised token-weighted loss of PAPER.md (per document, then the batch mean).
func weightedLoss(_ unit: MetaUnit, _ theta: [Tensor], _ weights: Tensor, eps: Float) throws -> Tensor {
    try NN.weightedLoss(unit.tokenLosses(theta), weights: weights, mask: unit.mask, eps: eps)
}

public enum MetaGradients {
    /// ∂L_meta/∂φ for one unit: θ' = θ + U(∇θ L_w(θ; D, w(φ))) (after `innerSteps`
    /// differentiable steps, and an optional warm-up), L_meta = taskLoss(θ').
    /// `weights` maps φ to the documents' token weights [B, T].
    public static func compute(engine: MetaEngine, phi: [Tensor], theta: [Tensor], unit: MetaUnit,
                               weights: @escaping ([Tensor]) throws -> Tensor, inner: InnerStep,
                               innerSteps: Int = 1, eps: Float = 1e-8) throws -> MetaGradient {
        guard innerSteps >= 1 else { throw TensorError("meta-gradient", "innerSteps must be ≥ 1, got \(innerSteps)") }
        // The warm-up step uses the starting weights, detached (it is not differentiated).
        var start = theta
        var moments: [InnerStep.Moments]? = nil
        if inner.warmup, case .adamw = inner.rule {
            let w0 = try Autodiff.withoutGrad { try weights(phi) }
            let g0 = try Autodiff.grad(at: theta) { th in try weightedLoss(unit, th, w0, eps: eps) }
            (start, moments) = try inner.warmupStep(theta, g0)
        }
        switch engine {
        case .secondOrder:
            return try secondOrder(phi: phi, theta: start, moments: moments, unit: unit, weights: weights, inner: inner, steps: innerSteps, eps: eps)
        case .forward:
            guard innerSteps == 1 else {
                throw TensorError("meta-gradient", "the forward engine is exact for one inner step; use the second-order engine for \(innerSteps)")
            }
            return try forward(phi: phi, theta: start, moments: moments, unit: unit, weights: weights, inner: inner, eps: eps)
        }
    }

    static func secondOrder(phi: [Tensor], theta: [Tensor], moments: [InnerStep.Moments]?, unit: MetaUnit,
                            weights: @escaping ([Tensor]) throws -> Tensor, inner: InnerStep, steps: Int, eps: Float) throws -> MetaGradient {
        var usedWeights: Tensor? = nil
        let (value, grads) = try Autodiff.valueAndGrad(at: phi) { ph in
            let w = try weights(ph)
            usedWeights = w
            var th = theta
            var state = moments
            for _ in 0..<steps {
                let g = try Autodiff.grad(at: th, createGraph: true) { t in try weightedLoss(unit, t, w, eps: eps) }
                var next: [Tensor] = []
                var nextState: [InnerStep.Moments] = []
                for (i, (p, gi)) in zip(th, g).enumerated() {
                    let s = state?[i]
                    next.append(try inner.apply(p, gi, s))
                    if case .adamw(let b1, let b2, _, _) = inner.rule {
                        let m = try add(mul(b1, s?.m ?? Tensor.zeros(gi.shape)), mul(1 - b1, gi))
                        let v = try add(mul(b2, s?.v ?? Tensor.zeros(gi.shape)), mul(1 - b2, mul(gi, gi)))
                        nextState.append(InnerStep.Moments(m: m, v: v, t: (s?.t ?? 0) + 1))
                    }
                }
                th = next
                if case .adamw = inner.rule { state = nextState }
            }
            return try unit.taskLoss(th)
        }
        let used = try orEmpty(usedWeights)
        return MetaGradient(metaLoss: try value.item(), grads: grads, weightGrads: nil, weights: used.detach())
    }

    static func orEmpty(_ t: Tensor?) throws(TensorError) -> Tensor {
        if let t { return t }
        return try Tensor.zeros([0])
    }

    static func forward(phi: [Tensor], theta: [Tensor], moments: [InnerStep.Moments]?, unit: MetaUnit,
                        weights: @escaping ([Tensor]) throws -> Tensor, inner: InnerStep, eps: Float) throws -> MetaGradient {
        // w(φ) with its pullback to φ.
        let (w, pullback) = try Autodiff.vjp(at: phi, weights)
        let wd = w.detach()
        let masked = try mul(wd, unit.mask)
        // G = ∇θ L_w(θ), θ' = θ + U(G), g = ∇θ' L_meta(θ'). The per-token losses ℓ(θ) are
        // recorded once: G pulls back through them, and the JVP below sweeps the same
        // recorded forward pass instead of running it again.
        let (losses, pullbackTheta, pushforward) = try Autodiff.linearize(at: theta) { th in try unit.tokenLosses(th) }
        let seed = try Autodiff.grad(at: [losses.detach()]) { l in
            try NN.weightedLoss(l[0], weights: wd, mask: unit.mask, eps: eps)
        }[0]
        let G = try pullbackTheta(seed)
        var thetaPrime: [Tensor] = []
        var direction: [Tensor] = []
        for (i, (p, gi)) in zip(theta, G).enumerated() {
            thetaPrime.append(try Autodiff.withoutGrad { try inner.apply(p, gi, moments?[i]) })
        }
        let (metaLoss, g) = try Autodiff.valueAndGrad(at: thetaPrime) { th in try unit.taskLoss(th) }
        for (i, gi) in G.enumerated() {
            direction.append(try inner.direction(gi, g[i], moments?[i]))
        }
        // s_i = ⟨U'(G) ⊙ g, ∇θ ℓ_i(θ)⟩ for every token at once: one JVP.
        let s = try pushforward(direction)
        // Per document b: ∂L_meta/∂w_bk = (s_bk − Σ_i (w_bi/S_b) s_bi) / (S_b · B) on real
        // tokens, 0 on padding (the 1/B is the batch mean of the per-document losses).
        let rows = Float(masked.shape.first ?? 1)
        let S = try add(sum(masked, axes: [-1], keepDims: true), eps)
        let mean = try div(sum(mul(masked, s), axes: [-1], keepDims: true), S)
        let dw = try mul(div(sub(s, mean), mul(S, rows)), unit.mask)
        let grads = try pullback(dw)
        return MetaGradient(metaLoss: try metaLoss.item(), grads: grads, weightGrads: dw, weights: wd)
    }
}
