import Foundation
import NN
import TensorCore

/// RecAdam (Chen et al. 2020): Adam with an annealed quadratic pull toward the starting
/// weights θ₀, as in its reference implementation:
///
///     λ(t) = 1 / (1 + exp(−k (t − t0)))                          (sigmoid annealing)
///     θ ← θ + λ(t) · Δ_adam                                     (the optimizer's step, scaled)
///     θ ← θ − lr(t) · (1 − λ(t)) · γ · (θ − θ₀)                 (the pull)
///
/// applied to every trained parameter (LoRA factors and adapters too: their θ₀ is their
/// initialisation). The paper used k = 0.5, t0 = 250 steps, γ = 5000 with a much smaller
/// learning rate; here t0 defaults to a quarter of the run's steps and γ to 100, so that
/// lr · γ = 0.1 at lr 1e-3 (lr · γ must stay ≤ 1 or the pull overshoots θ₀).
public struct RecAdamConfig: Sendable, Hashable, CustomStringConvertible {
    public var coefficient: Double
    public var k: Double
    /// The annealing midpoint in steps; nil = a quarter of the run's total steps.
    public var t0: Int?

    public init(coefficient: Double = 100, k: Double = 0.5, t0: Int? = nil) {
        self.coefficient = coefficient
        self.k = k
        self.t0 = t0
    }

    public func validate(lr: Double) throws(CKLError) {
        guard coefficient >= 0, coefficient.isFinite else { throw .invalidConfiguration("RecAdam coefficient must be ≥ 0, got \(coefficient)") }
        guard k > 0, k.isFinite else { throw .invalidConfiguration("RecAdam k must be positive, got \(k)") }
        if let t = t0 { guard t >= 0 else { throw .invalidConfiguration("RecAdam t0 must be ≥ 0, got \(t)") } }
        guard lr * coefficient <= 1 else {
            throw .invalidConfiguration("RecAdam's pull lr × coefficient = \(lr * coefficient) > 1 overshoots the starting weights; use a coefficient ≤ \(1 / lr)")
        }
    }

    /// λ(t): the share of the optimizer's step taken at step t (1-based).
    public func lambda(step: Int, t0: Int) -> Double { 1 / (1 + Foundation.exp(-k * Double(step - t0))) }

    public var description: String { "RecAdam γ \(coefficient), k \(k), t0 \(t0.map(String.init) ?? "¼ of the steps")" }
}

/// The pull of one run: the starting weights and the resolved midpoint.
struct RecAdamPull {
    let config: RecAdamConfig
    let start: ParameterSet
    let t0: Int

    init(config: RecAdamConfig, start: ParameterSet, totalSteps: Int) {
        self.config = config
        self.start = start.detached()
        t0 = config.t0 ?? Int((Double(totalSteps) / 4).rounded())
    }

    /// Blends the optimizer's result `updated` with the current `current` weights at step
    /// `step` with learning rate `lr` (the scheduled rate of that step).
    func apply(current: ParameterSet, updated: ParameterSet, step: Int, lr: Double) throws(CKLError) -> ParameterSet {
        let lambda = Float(config.lambda(step: step, t0: t0))
        let pull = Float(lr * (1 - Double(lambda)) * config.coefficient)
        var out = ParameterSet()
        for (path, u) in updated.entries {
            guard let c = current[path], let s = start[path], c.shape == u.shape, s.shape == u.shape else {
                throw .model(.parameter("RecAdam: no starting weights for '\(path)'"))
            }
            let t = try model { () throws(NNError) in try nn { try Tensor.zeros(u.shape) } }
            let C = c.storage.pointer, U = u.storage.pointer, S = s.storage.pointer, O = t.storage.pointer
            for i in 0..<u.count {
                let mid = C[i] + lambda * (U[i] - C[i])
                O[i] = mid - pull * (mid - S[i])
            }
            out[path] = t
        }
        return out
    }
}
