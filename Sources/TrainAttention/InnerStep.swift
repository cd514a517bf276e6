import TensorCore

/// The inner update of the base model θ inside a meta-step: θ' = θ + U(G), with U acting
/// coordinate by coordinate on the gradient G of the token-weighted loss.
///
/// - `sgd`: U(G) = -lr·G.
/// - `adamw`: a fresh AdamW per document. With `warmup`, one non-differentiable step runs
///   first (its moments become fixed state), then the differentiable step — the authors'
///   setting (lr 2e-4, weight decay 0.01). U depends on G_j and the fixed state only, so
///   its derivative U'(G) is a diagonal, which the forward-mode engine uses.
public struct InnerStep: Sendable, CustomStringConvertible {
    public enum Rule: Sendable {
        case sgd
        case adamw(beta1: Float, beta2: Float, eps: Float, weightDecay: Float)
    }
    public var rule: Rule
    public var lr: Float
    /// AdamW only: run one detached warm-up step first.
    public var warmup: Bool

    public static func sgd(lr: Float) -> InnerStep { InnerStep(rule: .sgd, lr: lr, warmup: false) }
    public static func adamw(lr: Float = 2e-4, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8,
                             weightDecay: Float = 0.01, warmup: Bool = true) -> InnerStep {
        InnerStep(rule: .adamw(beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay), lr: lr, warmup: warmup)
    }

    public var description: String {
        switch rule {
        case .sgd: return "SGD(lr: \(lr))"
        case .adamw(_, _, _, let wd): return "AdamW(lr: \(lr), weight decay: \(wd)\(warmup ? ", with a warm-up step" : ""))"
        }
    }

    /// Adam moments of one parameter after the warm-up step (t counts steps taken).
    struct Moments {
        var m: Tensor
        var v: Tensor
        var t: Int
    }

    /// Keeps √v̂ differentiable where the second moment is zero (both engines use it).
    static let sqrtFloor: Float = 1e-30

    /// θ + U(G) for one parameter, in differentiable ops (engine (a) differentiates it).
    func apply(_ theta: Tensor, _ g: Tensor, _ state: Moments?) throws(TensorError) -> Tensor {
        switch rule {
        case .sgd:
            return try sub(theta, mul(lr, g))
        case .adamw(let b1, let b2, let eps, let wd):
            let t = (state?.t ?? 0) + 1
            let c1 = 1 / (1 - powf(b1, Float(t))), c2 = 1 / (1 - powf(b2, Float(t)))
            var m = try mul(1 - b1, g), v = try mul(1 - b2, mul(g, g))
            if let s = state {
                m = try add(mul(b1, s.m), m)
                v = try add(mul(b2, s.v), v)
            }
            let mhat = try mul(c1, m), vhat = try mul(c2, v)
            let update = try add(div(mhat, add(sqrt(add(vhat, Self.sqrtFloor)), eps)), mul(wd, theta))
            return try sub(theta, mul(lr, update))
        }
    }

    /// U'(G), the coordinatewise derivative of the update with respect to G (engine (b)).
    func derivative(_ g: Tensor, _ state: Moments?) throws(TensorError) -> Tensor {
        switch rule {
        case .sgd:
            return try Tensor.full(g.shape, -lr)
        case .adamw(let b1, let b2, let eps, _):
            let t = (state?.t ?? 0) + 1
            let c1 = (1 - b1) / (1 - powf(b1, Float(t))), c2 = (1 - b2) / (1 - powf(b2, Float(t)))
            var m = try mul(1 - b1, g), v = try mul(1 - b2, mul(g, g))
            if let s = state {
                m = try add(mul(b1, s.m), m)
                v = try add(mul(b2, s.v), v)
            }
            let mhat = try mul(1 / (1 - powf(b1, Float(t))), m)
            let root = try sqrt(add(mul(1 / (1 - powf(b2, Float(t))), v), Self.sqrtFloor))
            let denom = try add(root, eps)
            // d/dG [m̂ / (√v̂ + ε)] = c1/(√v̂+ε) − m̂·(c2·G/√v̂)/(√v̂+ε)²
            let first = try div(c1, denom)
            let second = try div(mul(mhat, div(mul(c2, g), root)), mul(denom, denom))
            return try mul(-lr, sub(first, second))
        }
    }

    /// U'(G) ⊙ g, the forward engine's tangent direction. For SGD, U' is the constant −lr,
    /// so this is g scaled (the same products as with a tensor full of −lr, without it).
    func direction(_ G: Tensor, _ g: Tensor, _ state: Moments?) throws(TensorError) -> Tensor {
        if case .sgd = rule { return try mul(g, -lr) }
        return try mul(derivative(G, state), g)
    }

    /// The warm-up step (no graph): new parameters and the moments it leaves.
    func warmupStep(_ theta: [Tensor], _ grads: [Tensor]) throws(TensorError) -> ([Tensor], [Moments]) {
        guard case .adamw(let b1, let b2, _, _) = rule else { return (theta, []) }
        var out: [Tensor] = [], moments: [Moments] = []
        for (p, g) in zip(theta, grads) {
            out.append(try apply(p, g, nil).detach())
            moments.append(Moments(m: try mul(1 - b1, g).detach(), v: try mul(1 - b2, mul(g, g)).detach(), t: 1))
        }
        return (out, moments)
    }
}

@inline(__always) func powf(_ x: Float, _ y: Float) -> Float { Float(Foundation.pow(Double(x), Double(y))) }

import Foundation
