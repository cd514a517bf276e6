import TensorCore

/// One pre-norm transformer block: x + attn(norm1(x)), then + mlp(norm2(·)).
public struct TransformerBlock: Sendable {
    public let path: String
    public let norm1: Norm, attn: SelfAttention, norm2: Norm, mlp: MLP

    public init(_ path: String, dim: Int, heads: Int, mlpHidden: Int, config c: TransformerConfig) {
        self.path = path
        norm1 = Norm(path + ".norm1", dim, kind: c.norm, eps: Float(c.normEps))
        attn = SelfAttention(path + ".attn", dim: dim, heads: heads, bias: c.bias)
        norm2 = Norm(path + ".norm2", dim, kind: c.norm, eps: Float(c.normEps))
        mlp = MLP(path + ".mlp", dim: dim, hidden: mlpHidden, kind: c.mlp, bias: c.bias)
    }

    public var shapes: [(String, [Int])] { norm1.shapes + attn.shapes + norm2.shapes + mlp.shapes }

    public func initialize(into set: inout ParameterSet, std: Double, outStd: Double, rng: inout TaalmRNG) throws(NNError) {
        try norm1.initialize(into: &set)
        try attn.initialize(into: &set, std: std, outStd: outStd, rng: &rng)
        try norm2.initialize(into: &set)
        try mlp.initialize(into: &set, std: std, outStd: outStd, rng: &rng)
    }

    /// `mask`: an additive mask from `attentionMask`, or nil for plain causal attention.
    public func callAsFunction(_ p: ParameterSet, _ x: Tensor, mask: Tensor?, rotary: RotaryTables?,
                               _ ctx: ForwardContext) throws(NNError) -> Tensor {
        let a = try dropout(attn(p, norm1(p, x), mask: mask, rotary: rotary, ctx), ctx)
        let h = try nn { try add(x, a) }
        let m = try dropout(mlp(p, norm2(p, h), ctx), ctx)
        return try nn { try add(h, m) }
    }
}

/// The body of a decoder-only transformer: token (and learned position) embeddings, the
/// blocks and the final norm — everything but the head. The language model puts a vocab
/// head on it; Train-Attention puts a `hidden → 1` head on another one.
///
/// Paths (under `prefix`): `embed.weight`, `pos.weight` (learned positions),
/// `blocks.<i>.{norm1,attn.{wq,wk,wv,wo},norm2,mlp.{fc1,fc2|w1,w2,w3}}.{weight,bias}`,
/// `norm.weight`/`norm.bias`.
public struct TransformerBody: Sendable {
    public let config: TransformerConfig
    public let prefix: String

    public init(_ config: TransformerConfig, prefix: String = "") throws(NNError) {
        try config.validate()
        self.config = config
        self.prefix = prefix
    }

    public var embedding: Embedding { Embedding(prefix + "embed", config.vocabSize, config.dModel) }
    public var positions: Embedding { Embedding(prefix + "pos", config.context, config.dModel) }
    public var blocks: [TransformerBlock] {
        (0..<config.layers).map {
            TransformerBlock(prefix + "blocks.\($0)", dim: config.dModel, heads: config.heads, mlpHidden: config.mlpHidden, config: config)
        }
    }
    public var finalNorm: Norm { Norm(prefix + "norm", config.dModel, kind: config.norm, eps: Float(config.normEps)) }

    /// Every parameter path with its shape, in order.
    public var shapes: [(String, [Int])] {
        var s: [(String, [Int])] = [(embedding.weightPath, [config.vocabSize, config.dModel])]
        if config.positions == .learned { s.append((positions.weightPath, [config.context, config.dModel])) }
        for b in blocks { s += b.shapes }
        return s + finalNorm.shapes
    }

    /// Fresh parameters: normal(0, initStd) weights, residual output projections scaled
    /// by 1/√(2·layers), zero biases, unit norm gains.
    public func initialize(into set: inout ParameterSet, rng: inout TaalmRNG) throws(NNError) {
        let std = config.initStd
        let outStd = std / (2 * Double(Swift.max(config.layers, 1))).squareRoot()
        try embedding.initialize(into: &set, std: std, rng: &rng)
        if config.positions == .learned { try positions.initialize(into: &set, std: std, rng: &rng) }
        for b in blocks { try b.initialize(into: &set, std: std, outStd: outStd, rng: &rng) }
        try finalNorm.initialize(into: &set)
    }

    /// Checks that `tokens` is [batch, time] with 1 ≤ time ≤ context.
    public func checkTokens(_ tokens: IndexTensor) throws(NNError) {
        guard tokens.shape.count == 2, tokens.shape[0] >= 1, tokens.shape[1] >= 1 else {
            throw .invalidInput("tokens must have shape [batch, time] with both ≥ 1, got \(shapeString(tokens.shape))")
        }
        guard tokens.shape[1] <= config.context else {
            throw .invalidInput("sequence of \(tokens.shape[1]) tokens is longer than the model's context of \(config.context)")
        }
    }

    /// Embeddings plus positions: [B, T, D].
    public func embed(_ p: ParameterSet, _ tokens: IndexTensor, _ ctx: ForwardContext) throws(NNError) -> Tensor {
        try checkTokens(tokens)
        var x = try embedding(p, tokens)
        if config.positions == .learned {
            let table = try p.require(positions.weightPath, shape: [config.context, config.dModel])
            x = try nn { try add(x, slice(table, axis: 0, start: 0, end: tokens.shape[1])) }
        }
        return try dropout(x, ctx)
    }

    /// Runs the blocks on embedded input; returns the last block's output (before the
    /// final norm) and the outputs of the blocks listed in `collect`.
    public func runBlocks(_ p: ParameterSet, _ x: Tensor, keyMask: Tensor?, collect: Set<Int> = [],
                          _ ctx: ForwardContext) throws(NNError) -> (last: Tensor, collected: [Int: Tensor]) {
        let t = x.shape[1]
        // Without a key mask, attention is plain causal: the fused kernel needs no mask tensor.
        let mask = try keyMask.map { km throws(NNError) in try attentionMask(length: t, keyMask: km) }
        let rotary = config.positions == .rotary ? try RotaryTables(length: t, headDim: config.headDim, base: config.ropeBase) : nil
        var h = x
        var got: [Int: Tensor] = [:]
        for (i, b) in blocks.enumerated() {
            h = try b(p, h, mask: mask, rotary: rotary, ctx)
            if collect.contains(i) { got[i] = h }
        }
        return (h, got)
    }

    /// The final hidden states [B, T, D] (after the final norm) for tokens [B, T].
    /// `keyMask` [B, T] (1 = real, 0 = padding) is needed only when padding comes before
    /// real tokens; right padding is already invisible to real tokens under the causal mask.
    public func hiddenStates(params p: ParameterSet, tokens: IndexTensor, keyMask: Tensor? = nil,
                             context ctx: ForwardContext = .eval()) throws(NNError) -> Tensor {
        let x = try embed(p, tokens, ctx)
        let h = try runBlocks(p, x, keyMask: keyMask, ctx).last
        return try finalNorm(p, h)
    }
}
