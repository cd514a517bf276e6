import Testing
import TensorCore
@testable import NN

/// Every layer's reverse-mode gradient against central finite differences.
@Suite struct LayerGradientTests {
    static func check(_ name: String, _ p: ParameterSet, seed: UInt64 = 7, _ f: (ParameterSet) throws -> Tensor) throws {
        let (a, n) = try gradientCheck(p, seed: seed, f)
        #expect(close(a, n, rtol: 3e-2, atol: 2e-3), "\(name): analytic \(a) vs finite differences \(n)")
    }

    @Test func linearAndLoRA() throws {
        var fx = Fixture(seed: 1)
        var p = ParameterSet()
        p["l.weight"] = fx.normal([5, 3], std: 0.5); p["l.bias"] = fx.normal([3])
        p["x"] = fx.normal([2, 4, 5])
        let u = fx.normal([2, 4, 3])
        let l = Linear("l", 5, 3)
        try Self.check("linear", p) { q in try sum(mul(l(q, q.require("x"), .eval()), u)) }
        p["l.lora_a"] = fx.normal([5, 2], std: 0.5); p["l.lora_b"] = fx.normal([2, 3], std: 0.5)
        try Self.check("linear+lora", p) { q in try sum(mul(l(q, q.require("x"), ForwardContext(loraScale: 0.7)), u)) }
    }

    @Test(arguments: NormKind.allCases) func norms(kind: NormKind) throws {
        var fx = Fixture(seed: 2)
        var p = ParameterSet()
        let n = Norm("n", 6, kind: kind)
        try n.initialize(into: &p)
        var fy = Fixture(seed: 3)
        let noise = p.tensors.map { fy.normal($0.shape, std: 0.3) }
        p = try ParameterSet(zip(p.paths, zip(p.tensors, noise)).map { ($0, try add($1.0, $1.1)) })
        p["x"] = fx.normal([3, 6])
        let u = fx.normal([3, 6])
        try Self.check("\(kind)", p) { q in try sum(mul(n(q, q.require("x")), u)) }
    }

    @Test func embedding() throws {
        var fx = Fixture(seed: 4)
        var p = ParameterSet()
        p["e.weight"] = fx.normal([7, 4])
        let ids = try IndexTensor([1, 3, 3, 6])
        let u = fx.normal([4, 4])
        try Self.check("embedding", p) { q in try sum(mul(Embedding("e", 7, 4)(q, ids), u)) }
    }

    @Test(arguments: MLPKind.allCases) func mlp(kind: MLPKind) throws {
        var fx = Fixture(seed: 5)
        var p = ParameterSet()
        var rng = TaalmRNG(seed: 5)
        let m = MLP("m", dim: 4, hidden: 8, kind: kind, bias: true)
        try m.initialize(into: &p, std: 0.5, outStd: 0.5, rng: &rng)
        p["x"] = fx.normal([2, 3, 4])
        let u = fx.normal([2, 3, 4])
        try Self.check("mlp \(kind)", p) { q in try sum(mul(m(q, q.require("x"), .eval()), u)) }
    }

    @Test(arguments: [false, true]) func attention(rotary: Bool) throws {
        var fx = Fixture(seed: 6)
        var p = ParameterSet()
        var rng = TaalmRNG(seed: 6)
        let a = SelfAttention("a", dim: 8, heads: 2, bias: true)
        try a.initialize(into: &p, std: 0.4, outStd: 0.4, rng: &rng)
        p["x"] = fx.normal([2, 5, 8])
        let u = fx.normal([2, 5, 8])
        let keyMask = try Tensor(shape: [2, 5], values: [1, 1, 1, 1, 1, 0, 1, 1, 1, 1])
        let mask = try attentionMask(length: 5, keyMask: keyMask)
        let rope = rotary ? try RotaryTables(length: 5, headDim: 4, base: 10000) : nil
        try Self.check("attention rotary=\(rotary)", p) { q in try sum(mul(a(q, q.require("x"), mask: mask, rotary: rope, .eval()), u)) }
    }

    @Test func attentionIsCausal() throws {
        var fx = Fixture(seed: 8)
        var p = ParameterSet()
        var rng = TaalmRNG(seed: 8)
        let a = SelfAttention("a", dim: 8, heads: 2, bias: true)
        try a.initialize(into: &p, std: 0.4, outStd: 0.4, rng: &rng)
        let x = fx.normal([1, 4, 8])
        let mask = try attentionMask(length: 4)
        let y = try a(p, x, mask: mask, rotary: nil, .eval())
        // Changing the last token must not change earlier outputs.
        var xs = x.scalars
        for i in 24..<32 { xs[i] += 1 }
        let y2 = try a(p, Tensor(shape: [1, 4, 8], values: xs), mask: mask, rotary: nil, .eval())
        #expect(maxAbsDiff(try slice(y, axis: 1, start: 0, end: 3), try slice(y2, axis: 1, start: 0, end: 3)) == 0)
        #expect(maxAbsDiff(try slice(y, axis: 1, start: 3, end: 4), try slice(y2, axis: 1, start: 3, end: 4)) > 0)
    }

    static func smallConfig(_ positions: PositionKind, norm: NormKind = .layerNorm, mlp: MLPKind = .gelu, tied: Bool = false) -> TransformerConfig {
        TransformerConfig(vocabSize: 11, dModel: 8, layers: 2, heads: 2, context: 6, mlpRatio: 2, norm: norm,
                          positions: positions, mlp: mlp, tiedEmbeddings: tied, initStd: 0.3)
    }

    static func batch() throws -> TokenBatch {
        try TokenBatch(sequences: [[1, 5, 6, 7, 2], [1, 9, 10]], padId: 0, maxLength: 6)
    }

    @Test(arguments: [(PositionKind.learned, NormKind.layerNorm, MLPKind.gelu, false),
                      (.rotary, .rmsNorm, .swiglu, true)])
    func languageModelLoss(positions: PositionKind, norm: NormKind, mlp: MLPKind, tied: Bool) throws {
        let m = try LanguageModel(config: Self.smallConfig(positions, norm: norm, mlp: mlp, tied: tied), seed: 3)
        let b = try Self.batch()
        try Self.check("LM loss \(positions) \(norm) \(mlp) tied=\(tied)", m.params) { q in try m.loss(params: q, batch: b) }
    }

    @Test func weightedLossGradients() throws {
        let m = try LanguageModel(config: Self.smallConfig(.learned), seed: 4)
        let b = try Self.batch()
        var p = m.params
        var fx = Fixture(seed: 9)
        p["w"] = try sigmoid(fx.normal([2, 4]))
        try Self.check("weighted loss", p) { q in
            let w = try q.require("w")
            return try m.weightedLoss(params: q.filter { $0 != "w" }, batch: b, weights: w)
        }
    }

    @Test func weightedLossValue() throws {
        let losses = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let w = try Tensor(shape: [2, 3], values: [1, 0, 1, 0.5, 0.5, 1])
        let mask = try Tensor(shape: [2, 3], values: [1, 1, 1, 1, 1, 0])
        let l = try weightedLoss(losses, weights: w, mask: mask, eps: 0).item()
        // Row 0: (1 + 3) / 2 = 2; row 1: (2 + 2.5) / 1 = 4.5; mean 3.25.
        #expect(abs(l - 3.25) < 1e-6)
    }

    @Test func adaptersGradients() throws {
        let m = try LanguageModel(config: Self.smallConfig(.rotary), seed: 5)
        try m.addAdapters(layers: [0, 1], dim: 4, heads: 1, seed: 2)
        // Perturb the zero-initialised up projections so every adapter path has a gradient.
        var fy = Fixture(seed: 11)
        var p = m.params
        for (path, t) in m.params.entries where path.hasPrefix("adapters") { p[path] = try add(t, fy.normal(t.shape, std: 0.2)) }
        let b = try Self.batch()
        try Self.check("adapters", p) { q in try m.loss(params: q, batch: b) }
    }
}

/// Differentiating through an inner training step (what Train-Attention needs): the
/// meta-loss L(θ − α∇θ L_w(θ)) as a function of the token weights w, against finite
/// differences.
@Suite struct MetaGradientTests {
    @Test(arguments: [false, true]) func throughInnerStep(adamw: Bool) throws {
        let cfg = TransformerConfig(vocabSize: 11, dModel: 8, layers: 1, heads: 2, context: 6, mlpRatio: 2, positions: .rotary, initStd: 0.3)
        let m = try LanguageModel(config: cfg, seed: 12)
        let doc = try TokenBatch(sequences: [[1, 5, 6, 7, 8, 2]], padId: 0, maxLength: 6)
        let task = try TokenBatch(sequences: [[1, 5, 6, 9, 2]], padId: 0, maxLength: 6)
        let theta = m.params
        // As in the paper: a detached warm-up step gives AdamW a non-zero second moment, so
        // the differentiable step is smooth in the gradient (a first step from zero state is
        // lr·sign(g), whose derivative vanishes).
        let warmGrads = try Autodiff.grad(at: theta.tensors) { xs in try m.loss(params: ParameterSet(Array(zip(theta.paths, xs))), batch: doc) }
        let warm = try adamwStep(theta, ParameterSet(Array(zip(theta.paths, warmGrads))), state: AdamState(zerosLike: theta), lr: 0.01).state.detached()
        func metaLoss(_ q: ParameterSet) throws -> Tensor {
            let w = try q.require("w")
            let g = try Autodiff.grad(at: theta.tensors) { xs in
                try m.weightedLoss(params: ParameterSet(Array(zip(theta.paths, xs))), batch: doc, weights: w)
            }
            let grads = try ParameterSet(Array(zip(theta.paths, g)))
            let updated = adamw
                ? try adamwStep(theta, grads, state: warm, lr: 0.01).params
                : try sgdStep(theta, grads, lr: 0.5)
            return try m.loss(params: updated, batch: task)
        }
        var fx = Fixture(seed: 13)
        let w0 = try ParameterSet([("w", sigmoid(fx.normal([1, 5])))])
        let (a, n) = try gradientCheck(w0, h: 1e-2, metaLoss)
        #expect(close(a, n, rtol: 5e-2, atol: 1e-4), "analytic \(a) vs finite differences \(n)")
        #expect(abs(a) > 1e-5)
    }
}
