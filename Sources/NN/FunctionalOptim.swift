import Foundation
import TensorCore

/// Differentiable optimizer steps, written with tensor ops so a meta-gradient can flow
/// through them (Train-Attention's inner step). Use inside a transform; outside one they
/// simply compute the update.

/// θ' = θ − lr·g for every path of `grads` (other paths of `params` unchanged).
public func sgdStep(_ params: ParameterSet, _ grads: ParameterSet, lr: Float) throws(NNError) -> ParameterSet {
    let updated = try params.filter { grads.contains($0) }.zip(grads) { _, p, g in try sub(p, mul(g, lr)) }
    return try params.applying(updated)
}

/// The first and second moments of a functional Adam/AdamW, and the step count.
public struct AdamState: Sendable {
    public var m: ParameterSet
    public var v: ParameterSet
    public var step: Int

    /// Zero moments for the paths of `params` (a fresh optimizer).
    public init(zerosLike params: ParameterSet) throws(NNError) {
        m = try params.map { _, t in try Tensor.zeros(t.shape) }
        v = m
        step = 0
    }

    public init(m: ParameterSet, v: ParameterSet, step: Int) { self.m = m; self.v = v; self.step = step }

    /// The state with every tensor cut from the graph (a non-differentiable warm-up step).
    public func detached() -> AdamState { AdamState(m: m.detached(), v: v.detached(), step: step) }
}

/// One AdamW step (decoupled weight decay) on the paths of `grads`, differentiable with
/// respect to params, grads and state. Returns the new parameters and state.
public func adamwStep(_ params: ParameterSet, _ grads: ParameterSet, state: AdamState, lr: Float,
                      beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8,
                      weightDecay: Float = 0.01) throws(NNError) -> (params: ParameterSet, state: AdamState) {
    let t = state.step + 1
    let c1 = 1 / (1 - Float(Foundation.pow(Double(beta1), Double(t))))
    let c2 = 1 / (1 - Float(Foundation.pow(Double(beta2), Double(t))))
    var newP = params, newM = state.m, newV = state.v
    for (path, g) in grads.entries {
        let p = try params.require(path, shape: g.shape)
        let m0 = try state.m.require(path, shape: g.shape), v0 = try state.v.require(path, shape: g.shape)
        let (p1, m1, v1): (Tensor, Tensor, Tensor) = try nn {
            let m = try add(mul(m0, beta1), mul(g, 1 - beta1))
            let v = try add(mul(v0, beta2), mul(mul(g, g), 1 - beta2))
            let upd = try div(mul(m, c1), add(sqrt(mul(v, c2)), eps))
            let decayed = try mul(p, 1 - lr * weightDecay)
            return (try sub(decayed, mul(upd, lr)), m, v)
        }
        newP[path] = p1; newM[path] = m1; newV[path] = v1
    }
    return (newP, AdamState(m: newM, v: newV, step: t))
}
