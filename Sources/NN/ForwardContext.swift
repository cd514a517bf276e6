import TensorCore

/// Settings of one forward pass: training mode (dropout on) with its seeded generator,
/// and the LoRA scale. A fresh context per pass; dropout draws advance `rng`.
public final class ForwardContext {
    /// Dropout probability (0 = off, as in evaluation).
    public let dropout: Float
    /// The generator for dropout masks.
    public var rng: TaalmRNG
    /// LoRA scale alpha/rank, applied wherever a linear layer has `lora_a`/`lora_b`.
    public let loraScale: Float
    /// When false, LoRA parameters present in the set are ignored (e.g. after a merge).
    public let loraEnabled: Bool

    public init(dropout: Float = 0, seed: UInt64 = 0, loraScale: Float = 1, loraEnabled: Bool = true) {
        self.dropout = dropout
        self.rng = TaalmRNG(seed: seed)
        self.loraScale = loraScale
        self.loraEnabled = loraEnabled
    }

    /// Inference: no dropout.
    public static func eval(loraScale: Float = 1) -> ForwardContext { ForwardContext(loraScale: loraScale) }
}

/// Inverted dropout: zeroes each element with probability `p` and scales the rest by
/// 1/(1−p), with a mask drawn from `ctx.rng` (deterministic for a seed). Identity when off.
public func dropout(_ x: Tensor, _ ctx: ForwardContext) throws(NNError) -> Tensor {
    let p = ctx.dropout
    guard p > 0 else { return x }
    let mask = try nn { try Tensor.zeros(x.shape) }
    let m = mask.storage.pointer
    let keep = 1 / (1 - p)
    for i in 0..<mask.count { m[i] = ctx.rng.nextUnit() >= Double(p) ? keep : 0 }
    return try nn { try mul(x, mask) }
}
