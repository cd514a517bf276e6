import TensorCore

/// A decoder-only transformer language model: a `TransformerBody`, a vocabulary head
/// (or tied embeddings), optional LoRA factors and adapters, and its tokenizer.
///
/// The model holds its current parameters in `params`, but every computation also takes
/// a parameter set explicitly (`logits(params:tokens:)`), so a differentiable update
/// θ' = θ − αg can be evaluated without touching the model. Training, optimizers and
/// checkpoints read and replace `params`.
public final class LanguageModel: CustomStringConvertible, @unchecked Sendable {
    public let config: TransformerConfig
    public let body: TransformerBody
    public var tokenizer: TextTokenizer?
    /// The current parameters.
    public var params: ParameterSet
    public private(set) var lora: LoRAConfig?
    public private(set) var adapters: AdapterConfig?
    /// Paths matching any of these glob patterns are not trained.
    public var frozen: [String] = []
    /// When set, only paths matching one of these patterns are trained (LoRA and adapters
    /// set it to their own parameters).
    public var trainableOnly: [String]?

    /// A freshly initialised model (GPT-2 initialisation from `seed`). The tokenizer's
    /// vocabulary size must equal `config.vocabSize` when both are given.
    public init(config: TransformerConfig, tokenizer: TextTokenizer? = nil, seed: UInt64 = 0) throws(NNError) {
        body = try TransformerBody(config)
        self.config = config
        self.tokenizer = tokenizer
        if let t = tokenizer, t.vocabSize != config.vocabSize {
            throw .invalidConfig("the tokenizer has \(t.vocabSize) tokens but the model's vocabulary is \(config.vocabSize)")
        }
        var rng = TaalmRNG(seed: seed)
        var p = ParameterSet()
        try body.initialize(into: &p, rng: &rng)
        if !config.tiedEmbeddings {
            p["head.weight"] = try nn { try Tensor.randomNormal([config.dModel, config.vocabSize], std: Float(config.initStd), rng: &rng) }
        }
        params = p
    }

    /// A model with the given parameters (checked against the configuration).
    public convenience init(config: TransformerConfig, tokenizer: TextTokenizer?, params: ParameterSet,
                            lora: LoRAConfig? = nil, adapters: AdapterConfig? = nil) throws(NNError) {
        try self.init(config: config, tokenizer: tokenizer, params: params, lora: lora, adapters: adapters, validating: true)
    }

    init(config: TransformerConfig, tokenizer: TextTokenizer?, params: ParameterSet,
         lora: LoRAConfig?, adapters: AdapterConfig?, validating: Bool) throws(NNError) {
        body = try TransformerBody(config)
        try lora?.validate()
        try adapters?.validate(baseLayers: config.layers)
        if let a = adapters, config.positions == .rotary, (a.dim / a.heads) % 2 != 0 {
            throw .invalidConfig("rotary positions need an even adapter head width, got \(a.dim / a.heads)")
        }
        self.config = config
        self.tokenizer = tokenizer
        self.params = params
        self.lora = lora
        self.adapters = adapters
        if lora != nil { trainableOnly = ["**.lora_a", "**.lora_b"] }
        if adapters != nil { trainableOnly = ["adapters"] }
        if validating { try validate(params) }
    }

    // MARK: Parameters

    /// Every expected path with its shape, in order (base, head, LoRA, adapters).
    public var expectedShapes: [(String, [Int])] {
        var s = body.shapes
        if !config.tiedEmbeddings { s.append(("head.weight", [config.dModel, config.vocabSize])) }
        if let l = lora {
            for lin in loraLayers(l.targets) {
                s.append((lin.path + ".lora_a", [lin.inFeatures, l.rank]))
                s.append((lin.path + ".lora_b", [l.rank, lin.outFeatures]))
            }
        }
        if let a = adapters { s += adapterShapes(a) }
        return s
    }

    /// Checks that `p` holds exactly the expected paths with the expected shapes.
    public func validate(_ p: ParameterSet) throws(NNError) {
        let expected = expectedShapes
        for (path, shape) in expected {
            guard let t = p[path] else { throw .parameter("missing parameter '\(path)' (expected shape \(shapeString(shape)))") }
            guard t.shape == shape else {
                throw .parameter("'\(path)' has shape \(shapeString(t.shape)) but this configuration needs \(shapeString(shape))")
            }
        }
        if p.count != expected.count {
            let known = Set(expected.map(\.0))
            let extra = p.paths.filter { !known.contains($0) }
            throw .parameter("unexpected parameter(s) \(extra.prefix(5).joined(separator: ", ")) for this configuration")
        }
    }

    /// True when `path` is updated by training.
    public func isTrainable(_ path: String) -> Bool {
        if frozen.contains(where: { PathPattern.matches($0, path) }) { return false }
        if let only = trainableOnly { return only.contains { PathPattern.matches($0, path) } }
        return true
    }

    /// The parameters training updates.
    public var trainableParameters: ParameterSet { params.filter(isTrainable) }

    /// Number of scalars in all parameters / in the trainable ones.
    public var parameterCount: Int { params.scalarCount }
    public var trainableCount: Int { trainableParameters.scalarCount }

    /// Stops training the paths matching `patterns` (globs, e.g. `blocks.*.attn.*`).
    public func freeze(_ patterns: [String]) { frozen += patterns }
    /// Trains everything again (clears `frozen`; LoRA/adapter restrictions stay).
    public func unfreezeAll() { frozen = [] }

    // MARK: Forward

    func context(dropout: Bool = false, seed: UInt64 = 0) -> ForwardContext {
        ForwardContext(dropout: dropout ? Float(config.dropout) : 0, seed: seed,
                       loraScale: lora?.scale ?? 1, loraEnabled: !(lora?.merged ?? false))
    }

    /// The final hidden states [B, T, D] (after adapters and the final norm).
    public func hiddenStates(params p: ParameterSet, tokens: IndexTensor, keyMask: Tensor? = nil,
                             context ctx: ForwardContext? = nil) throws(NNError) -> Tensor {
        let c = ctx ?? context()
        let x = try body.embed(p, tokens, c)
        let collect = Set(adapters?.layers ?? [])
        let (last, got) = try body.runBlocks(p, x, keyMask: keyMask, collect: collect, c)
        var h = last
        guard let a = adapters else { return try body.finalNorm(p, h) }
        let out = try applyAdapters(a, p, got, keyMask: keyMask, c)
        switch a.output {
        case .preNorm:
            h = try nn { try add(h, out) }
            return try body.finalNorm(p, h)
        case .normalized(let scale):
            let n = try body.finalNorm(p, h)
            return try nn { try add(n, normalizedAdapterOutput(p, out, scale: scale)) }
        }
    }

    /// The two terms of the final hidden state when the model has adapters, [B, T, D] each:
    /// the base's part and the adapters' part, as they are added — before the final norm
    /// (the last block's output and the adapters' raw output) for `.preNorm`, after it (the
    /// normalised base state and the scaled, normalised adapter output) for `.normalized`.
    /// `adapter` is nil without adapters. For measuring how much of the state the adapters
    /// contribute on a given input.
    public func adapterDecomposition(params p: ParameterSet? = nil, tokens: IndexTensor) throws(NNError) -> (base: Tensor, adapter: Tensor?) {
        let params = p ?? self.params
        let c = context()
        let x = try body.embed(params, tokens, c)
        let (last, got) = try body.runBlocks(params, x, keyMask: nil, collect: Set(adapters?.layers ?? []), c)
        guard let a = adapters else { return (last, nil) }
        let out = try applyAdapters(a, params, got, keyMask: nil, c)
        switch a.output {
        case .preNorm: return (last, out)
        case .normalized(let scale): return (try body.finalNorm(params, last), try normalizedAdapterOutput(params, out, scale: scale))
        }
    }

    /// Next-token logits [B, T, V] for tokens [B, T].
    public func logits(params p: ParameterSet, tokens: IndexTensor, keyMask: Tensor? = nil,
                       context ctx: ForwardContext? = nil) throws(NNError) -> Tensor {
        let h = try hiddenStates(params: p, tokens: tokens, keyMask: keyMask, context: ctx)
        if config.tiedEmbeddings {
            let e = try p.require(body.embedding.weightPath, shape: [config.vocabSize, config.dModel])
            return try nn { try matmul(h, e, transB: true) }
        }
        let w = try p.require("head.weight", shape: [config.dModel, config.vocabSize])
        return try nn { try linear(h, w) }
    }

    /// `logits(params:tokens:)` under its functional name: the model as a function of θ.
    public func apply(_ p: ParameterSet, _ tokens: IndexTensor) throws(NNError) -> Tensor {
        try logits(params: p, tokens: tokens)
    }

    /// Per-token losses [B, T] of a batch (0 on padding).
    public func tokenLosses(params p: ParameterSet? = nil, batch: TokenBatch, context ctx: ForwardContext? = nil) throws(NNError) -> Tensor {
        let lg = try logits(params: p ?? params, tokens: batch.inputs, context: ctx)
        return try maskedTokenLosses(lg, batch.targets, mask: batch.mask)
    }

    /// Mean next-token loss over the batch's real tokens.
    public func loss(params p: ParameterSet? = nil, batch: TokenBatch, context ctx: ForwardContext? = nil) throws(NNError) -> Tensor {
        try meanTokenLoss(tokenLosses(params: p, batch: batch, context: ctx), mask: batch.mask)
    }

    /// The token-weighted loss (Train-Attention) with weights [B, T].
    public func weightedLoss(params p: ParameterSet? = nil, batch: TokenBatch, weights: Tensor, eps: Float = 1e-8,
                             context ctx: ForwardContext? = nil) throws(NNError) -> Tensor {
        try NN.weightedLoss(tokenLosses(params: p, batch: batch, context: ctx), weights: weights, mask: batch.mask, eps: eps)
    }

    public var description: String {
        var s = "LanguageModel(\(config)); \(formatCount(parameterCount)) parameters"
        if trainableCount != parameterCount { s += ", \(formatCount(trainableCount)) trainable" }
        if let l = lora { s += "; \(l)" }
        if let a = adapters { s += "; \(a)" }
        if let t = tokenizer { s += "; \(t)" }
        return s
    }

    // MARK: LoRA

    /// Every linear layer of the base model, in parameter order.
    public var linearLayers: [Linear] {
        body.blocks.flatMap { b in [b.attn.wq, b.attn.wk, b.attn.wv, b.attn.wo] + b.mlp.linears }
    }

    func loraLayers(_ targets: [String]) -> [Linear] {
        linearLayers.filter { l in targets.contains { PathPattern.matches($0, l.path) } }
    }

    /// Adds LoRA factors to the linear layers matching `targets` (default: query and
    /// value projections) — A ~ N(0, 1/in), B = 0, so the model is unchanged — and makes
    /// them the only trainable parameters.
    public func addLoRA(rank: Int, alpha: Double? = nil, targets: [String] = ["blocks.*.attn.wq", "blocks.*.attn.wv"],
                        seed: UInt64 = 0) throws(NNError) {
        guard lora == nil else { throw .invalidConfig("this model already has LoRA factors") }
        guard rank >= 1 else { throw .invalidConfig("LoRA rank must be ≥ 1, got \(rank)") }
        let a = alpha ?? Double(rank)
        guard a.isFinite else { throw .invalidConfig("LoRA alpha must be finite") }
        let layers = loraLayers(targets)
        guard !layers.isEmpty else {
            throw .invalidConfig("no linear layer matches \(targets); layers are named like \(linearLayers.prefix(2).map(\.path).joined(separator: ", "))")
        }
        var rng = TaalmRNG(seed: seed)
        for l in layers {
            guard rank <= Swift.min(l.inFeatures, l.outFeatures) else {
                throw .invalidConfig("LoRA rank \(rank) exceeds the size of \(l.path) (\(l.inFeatures)→\(l.outFeatures))")
            }
            params[l.path + ".lora_a"] = try nn { try Tensor.randomNormal([l.inFeatures, rank], std: 1 / Float(l.inFeatures).squareRoot(), rng: &rng) }
            params[l.path + ".lora_b"] = try nn { try Tensor.zeros([rank, l.outFeatures]) }
        }
        lora = LoRAConfig(rank: rank, alpha: a, targets: targets)
        trainableOnly = ["**.lora_a", "**.lora_b"]
    }

    /// Folds the LoRA update into the base weights (W += A B · scale); the factors stay
    /// and are skipped until `unmergeLoRA()`. Outputs agree up to float rounding.
    public func mergeLoRA() throws(NNError) {
        guard var l = lora else { throw .invalidConfig("this model has no LoRA factors") }
        guard !l.merged else { return }
        try foldLoRA(l, sign: 1)
        l.merged = true
        lora = l
    }

    /// Takes the LoRA update back out of the base weights (W −= A B · scale).
    public func unmergeLoRA() throws(NNError) {
        guard var l = lora else { throw .invalidConfig("this model has no LoRA factors") }
        guard l.merged else { return }
        try foldLoRA(l, sign: -1)
        l.merged = false
        lora = l
    }

    private func foldLoRA(_ l: LoRAConfig, sign: Float) throws(NNError) {
        var p = params
        for lin in loraLayers(l.targets) {
            let w = try p.require(lin.weightPath), a = try p.require(lin.path + ".lora_a"), b = try p.require(lin.path + ".lora_b")
            p[lin.weightPath] = try nn { try Autodiff.withoutGrad { try add(w, mul(matmul(a, b), sign * l.scale)) } }
        }
        params = p
    }

    // MARK: Adapters

    func adapterBlock(_ a: AdapterConfig, _ j: Int) -> TransformerBlock {
        TransformerBlock("adapters.\(j).block", dim: a.dim, heads: a.heads,
                         mlpHidden: Swift.max(1, Int((config.mlpRatio * Double(a.dim)).rounded())), config: config)
    }

    func adapterShapes(_ a: AdapterConfig) -> [(String, [Int])] {
        var s: [(String, [Int])] = []
        for j in a.layers.indices {
            s += Linear("adapters.\(j).down", config.dModel, a.dim, bias: true).shapes
            s += adapterBlock(a, j).shapes
            s += Linear("adapters.\(j).up", a.dim, config.dModel, bias: true).shapes
        }
        if case .normalized = a.output { s.append((Self.adapterGainPath, [config.dModel])) }
        return s
    }

    /// Adds K-Adapter-style adapters reading the outputs of base blocks `layers` (the
    /// base is then frozen; only `adapters.*` trains). The model's outputs are unchanged
    /// until the adapters train (their up-projections start at zero).
    public func addAdapters(layers: [Int], dim: Int, heads: Int = 1, output: AdapterOutput = .preNorm,
                            seed: UInt64 = 0) throws(NNError) {
        guard adapters == nil else { throw .invalidConfig("this model already has adapters") }
        try AdapterConfig(layers: layers, dim: dim, heads: heads, output: output).validate(baseLayers: config.layers)
        guard config.positions != .rotary || (dim / heads) % 2 == 0 else {
            throw .invalidConfig("rotary positions need an even adapter head width, got \(dim / heads)")
        }
        let a = AdapterConfig(layers: layers, dim: dim, heads: heads, output: output)
        var rng = TaalmRNG(seed: seed)
        var p = params
        for j in layers.indices {
            try Linear("adapters.\(j).down", config.dModel, dim, bias: true).initialize(into: &p, std: config.initStd, rng: &rng)
            try adapterBlock(a, j).initialize(into: &p, std: config.initStd, outStd: config.initStd, rng: &rng)
            let up = Linear("adapters.\(j).up", dim, config.dModel, bias: true)
            if output == .preNorm {
                p[up.weightPath] = try nn { try Tensor.zeros([dim, config.dModel]) }
            } else {
                // The output is normalised, so it needs a direction from the start; the zero
                // gain keeps the model unchanged until the adapters train.
                p[up.weightPath] = try nn { try Tensor.randomNormal([dim, config.dModel], std: Float(config.initStd), rng: &rng) }
            }
            p[up.biasPath] = try nn { try Tensor.zeros([config.dModel]) }
        }
        if output != .preNorm { p[Self.adapterGainPath] = try nn { try Tensor.zeros([config.dModel]) } }
        params = p
        adapters = a
        trainableOnly = ["adapters"]
    }

    static let adapterGainPath = "adapters.out.gain"

    /// `scale × gain ⊙ x / rms(x)` over the last axis (`.normalized` adapters).
    func normalizedAdapterOutput(_ p: ParameterSet, _ x: Tensor, scale: Double) throws(NNError) -> Tensor {
        let g = try p.require(Self.adapterGainPath, shape: [config.dModel])
        return try nn { try mul(Norm.rmsNormalize(x, gain: g, eps: 1e-5), Float(scale)) }
    }

    func applyAdapters(_ a: AdapterConfig, _ p: ParameterSet, _ hidden: [Int: Tensor], keyMask: Tensor?,
                       _ ctx: ForwardContext) throws(NNError) -> Tensor {
        var prev: Tensor? = nil
        var mask: Tensor? = nil
        var rotary: RotaryTables? = nil
        var prepared = false
        for (j, layer) in a.layers.enumerated() {
            guard let h = hidden[layer] else { throw .parameter("internal: no hidden state collected for layer \(layer)") }
            if !prepared {
                // nil without a key mask: plain causal attention (the fused kernel).
                if let km = keyMask { mask = try attentionMask(length: h.shape[1], keyMask: km) }
                if config.positions == .rotary { rotary = try RotaryTables(length: h.shape[1], headDim: a.dim / a.heads, base: config.ropeBase) }
                prepared = true
            }
            let input = try prev.map { pv throws(NNError) in try nn { try add(h, pv) } } ?? h
            let down = try Linear("adapters.\(j).down", config.dModel, a.dim, bias: true)(p, input, ctx)
            let blk = try adapterBlock(a, j)(p, down, mask: mask, rotary: rotary, ctx)
            prev = try Linear("adapters.\(j).up", a.dim, config.dModel, bias: true)(p, blk, ctx)
        }
        guard let out = prev else { throw .invalidConfig("adapters need at least one layer") }
        return out
    }
}

/// 1234567 → "1.23M", 12345 → "12.3k".
func formatCount(_ n: Int) -> String {
    func f(_ x: Double) -> String { x >= 100 ? String(Int(x.rounded())) : String(Double(Int(x * 10 + 0.5)) / 10).replacingAll(".0", with: "") }
    if n >= 1_000_000 { return f(Double(n) / 1e6) + "M" }
    if n >= 1_000 { return f(Double(n) / 1e3) + "k" }
    return String(n)
}
