import TensorCore

/// A padded batch for next-token prediction: `inputs[b, t]` predicts `targets[b, t]`
/// (the sequence shifted by one); `mask[b, t]` is 1 where the target is a real token and
/// 0 on padding. Padding goes on the right, so real tokens never attend to it.
public struct TokenBatch: Sendable, CustomStringConvertible {
    public let inputs: IndexTensor
    public let targets: IndexTensor
    /// [B, T]: 1 for real targets, 0 for padding (a plain tensor, usable in losses).
    public let mask: Tensor
    /// Number of real targets per row.
    public let lengths: [Int]

    public var batchSize: Int { inputs.shape[0] }
    public var length: Int { inputs.shape[1] }
    public var tokenCount: Int { lengths.reduce(0, +) }

    /// Builds a batch from whole sequences (each ≥ 2 tokens): row b holds seq[0..<n−1] as
    /// inputs and seq[1..<n] as targets, padded with `padId` to the longest row.
    /// A sequence longer than `maxLength + 1` is an error (split it first with `windows`).
    public init(sequences: [[Int]], padId: Int, maxLength: Int) throws(NNError) {
        guard !sequences.isEmpty else { throw .invalidInput("cannot make a batch from no sequences") }
        for (i, s) in sequences.enumerated() {
            guard s.count >= 2 else { throw .invalidInput("sequence \(i) has \(s.count) token(s); next-token training needs at least 2") }
            guard s.count - 1 <= maxLength else {
                throw .invalidInput("sequence \(i) has \(s.count) tokens, more than the context \(maxLength) + 1; split it into windows first")
            }
        }
        let t = sequences.map { $0.count - 1 }.max() ?? 1
        let b = sequences.count
        var ins = [Int32](repeating: Int32(truncatingIfNeeded: padId), count: b * t)
        var tgs = [Int32](repeating: 0, count: b * t)
        var m = [Float](repeating: 0, count: b * t)
        for (r, s) in sequences.enumerated() {
            for j in 0..<(s.count - 1) {
                ins[r * t + j] = Int32(truncatingIfNeeded: s[j])
                tgs[r * t + j] = Int32(truncatingIfNeeded: s[j + 1])
                m[r * t + j] = 1
            }
        }
        inputs = try nn { try IndexTensor(shape: [b, t], values: ins) }
        targets = try nn { try IndexTensor(shape: [b, t], values: tgs) }
        mask = try nn { try Tensor(shape: [b, t], values: m) }
        lengths = sequences.map { $0.count - 1 }
    }

    /// Splits a token sequence into training windows of at most `context + 1` tokens
    /// (consecutive windows share one token, so every next-token pair is trained once).
    public static func windows(_ seq: [Int], context: Int) -> [[Int]] {
        guard seq.count > context + 1, context >= 1 else { return seq.count >= 2 ? [seq] : [] }
        var out: [[Int]] = []
        var start = 0
        while start < seq.count - 1 {
            let end = Swift.min(start + context + 1, seq.count)
            out.append(Array(seq[start..<end]))
            start += context
        }
        return out
    }

    public var description: String { "TokenBatch(\(batchSize) × \(length), \(tokenCount) target tokens)" }
}

/// Per-token losses: cross-entropy of `logits` [B, T, V] against `targets` [B, T], times
/// `mask` (0 on padding), so padded positions contribute exactly zero. Returns [B, T].
public func maskedTokenLosses(_ logits: Tensor, _ targets: IndexTensor, mask: Tensor) throws(NNError) -> Tensor {
    try nn { try mul(crossEntropy(logits, targets), mask) }
}

/// Mean per-token loss over real tokens: Σ mask·ℓ / Σ mask.
public func meanTokenLoss(_ losses: Tensor, mask: Tensor) throws(NNError) -> Tensor {
    let n = mask.scalars.reduce(0, +)
    guard n > 0 else { throw .invalidInput("the batch has no real target tokens") }
    return try nn { try div(sum(mul(losses, mask)), n) }
}

/// The token-weighted loss of Train-Attention:
/// L_w = mean over sequences b of Σ_i w_bi m_bi ℓ_bi / (Σ_i w_bi m_bi + ε),
/// for per-token `losses`, `weights` and `mask` of shape [B, T] (mask 1 = real token).
/// Differentiable in both the losses and the weights.
public func weightedLoss(_ losses: Tensor, weights: Tensor, mask: Tensor, eps: Float = 1e-8) throws(NNError) -> Tensor {
    guard losses.rank == 2, weights.shape == losses.shape, mask.shape == losses.shape else {
        throw .invalidInput("weighted loss needs losses, weights and mask of one shape [batch, time]; got \(shapeString(losses.shape)), \(shapeString(weights.shape)), \(shapeString(mask.shape))")
    }
    return try nn {
        let wm = try mul(weights, mask)
        let num = try sum(mul(wm, losses), axes: [1])
        let den = try add(sum(wm, axes: [1]), eps)
        return try mean(div(num, den))
    }
}
