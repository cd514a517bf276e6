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
/// learning rate; here t0 defaults to a quarter of the run's steps and γ to 0.1 / lr, so
/// that the pull's first steps take lr · γ = 0.1 of the way back to θ₀ whatever the run's
/// learning rate (γ = 100 at lr 1e-3; LoRA and K-Adapter train with larger rates). lr · γ
/// must stay ≤ 1 or the pull overshoots θ₀.
public struct RecAdamConfig: Sendable, Hashable, CustomStringConvertible {
    /// γ; nil = 0.1 / lr (`coefficient(lr:)`).
    public var coefficient: Double?
    public var k: Double
    /// The annealing midpoint in steps; nil = a quarter of the run's total steps.
    public var t0: Int?

    /// The pull per unit of learning rate when `coefficient` is nil: lr · γ = 0.1.
    public static let defaultPull = 0.1

    public init(coefficient: Double? = nil, k: Double = 0.5, t0: Int? = nil) {
        self.coefficient = coefficient
        self.k = k
        self.t0 = t0
    }

    /// γ for a run with learning rate `lr` (0 when lr is 0 and γ is not given).
    public func coefficient(lr: Double) -> Double {
        coefficient ?? (lr > 0 ? Self.defaultPull / lr : 0)
    }

    public func validate(lr: Double) throws(CKLError) {
        if let c = coefficient { guard c >= 0, c.isFinite else { throw .invalidConfiguration("RecAdam coefficient must be ≥ 0, got \(c)") } }
        let coefficient = coefficient(lr: lr)
        guard k > 0, k.isFinite else { throw .invalidConfiguration("RecAdam k must be positive, got \(k)") }
        if let t = t0 { guard t >= 0 else { throw .invalidConfiguration("RecAdam t0 must be ≥ 0, got \(t)") } }
        guard lr * coefficient <= 1 else {
            throw .invalidConfiguration("RecAdam's pull lr × coefficient = \(lr * coefficient) > 1 overshoots the starting weights; use a coefficient ≤ \(1 / lr)")
        }
    }

    /// λ(t): the share of the optimizer's step taken at step t (1-based).
    public func lambda(step: Int, t0: Int) -> Double { 1 / (1 + Foundation.exp(-k * Double(step - t0))) }

    public var description: String {
        "RecAdam γ \(coefficient.map { "\($0)" } ?? "0.1/lr"), k \(k), t0 \(t0.map(String.init) ?? "¼ of the steps")"
    }
}

/// The pull of one run: the starting weights and the resolved midpoint.
struct RecAdamPull {
    let config: RecAdamConfig
    let start: ParameterSet
    let t0: Int
    /// γ resolved for the run's learning rate.
    let coefficient: Double

    init(config: RecAdamConfig, start: ParameterSet, totalSteps: Int, lr: Double) {
        self.config = config
        self.start = start.detached()
        t0 = config.t0 ?? Int((Double(totalSteps) / 4).rounded())
        coefficient = config.coefficient(lr: lr)
    }

    /// Blends the optimizer's result `updated` with the current `current` weights at step
    /// `step` with learning rate `lr` (the scheduled rate of that step).
    func apply(current: ParameterSet, updated: ParameterSet, step: Int, lr: Double) throws(CKLError) -> ParameterSet {
        let lambda = Float(config.lambda(step: step, t0: t0))
        let pull = Float(lr * (1 - Double(lambda)) * coefficient)
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
