import Foundation

/// A learning-rate schedule: the factor multiplying the base rate at step t (1-based).
public enum Schedule: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Factor 1 throughout.
    case constant
    /// Linear warm-up from 1/warmup to 1 over `warmup` steps, then constant.
    case warmup(steps: Int)
    /// Warm-up, then linear decay to 0 at step `total`.
    case linear(warmup: Int, total: Int)
    /// Warm-up, then cosine decay to `minFactor` at step `total` (and `minFactor` after).
    case cosine(warmup: Int, total: Int, minFactor: Double)

    public func factor(at step: Int) -> Double {
        let t = Swift.max(step, 1)
        func warm(_ w: Int) -> Double? { w > 0 && t <= w ? Double(t) / Double(w) : nil }
        switch self {
        case .constant: return 1
        case .warmup(let w): return warm(w) ?? 1
        case .linear(let w, let total):
            if let f = warm(w) { return f }
            guard total > w else { return 1 }
            return Swift.max(0, Double(total - t) / Double(total - w))
        case .cosine(let w, let total, let minF):
            if let f = warm(w) { return f }
            guard total > w else { return 1 }
            let p = Swift.min(1, Double(t - w) / Double(total - w))
            return minF + (1 - minF) * 0.5 * (1 + Foundation.cos(Double.pi * p))
        }
    }

    public func validate() throws(NNError) {
        switch self {
        case .constant: return
        case .warmup(let w): guard w >= 0 else { throw .invalidConfig("warm-up steps must be ≥ 0") }
        case .linear(let w, let total), .cosine(let w, let total, _):
            guard w >= 0, total >= 1 else { throw .invalidConfig("schedule steps must be ≥ 0 (warm-up) and ≥ 1 (total)") }
            if case .cosine(_, _, let m) = self, !(m >= 0 && m <= 1) { throw .invalidConfig("cosine minFactor must be in [0, 1]") }
        }
    }

    public var description: String {
        switch self {
        case .constant: return "constant"
        case .warmup(let w): return "warm-up \(w) steps"
        case .linear(let w, let t): return "linear (warm-up \(w), total \(t))"
        case .cosine(let w, let t, let m): return "cosine (warm-up \(w), total \(t), min ×\(m))"
        }
    }
}
