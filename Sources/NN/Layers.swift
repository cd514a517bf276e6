import Foundation
import TensorCore

/// Layers as descriptions that read their parameters from a `ParameterSet` by path.
/// A layer owns no tensors: `initialize` adds its parameters to a set, `callAsFunction`
/// applies it with whatever set it is given (θ, or θ' from an inner step).

/// y = x W + b, W of shape [in, out] (so a [B, T, in] input is one GEMM), with an optional
/// LoRA term (x A) B · scale when the set holds `<path>.lora_a` [in, r] and `<path>.lora_b` [r, out].
public struct Linear: Sendable {
    public let path: String
    public let inFeatures: Int
    public let outFeatures: Int
    public let bias: Bool

    public init(_ path: String, _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        self.path = path; self.inFeatures = inFeatures; self.outFeatures = outFeatures; self.bias = bias
    }

    public var weightPath: String { path + ".weight" }
    public var biasPath: String { path + ".bias" }

    public func initialize(into set: inout ParameterSet, std: Double, rng: inout TaalmRNG) throws(NNError) {
        set[weightPath] = try nn { try Tensor.randomNormal([inFeatures, outFeatures], std: Float(std), rng: &rng) }
        if bias { set[biasPath] = try nn { try Tensor.zeros([outFeatures]) } }
    }

    /// The parameter shapes this layer expects.
    public var shapes: [(String, [Int])] {
        [(weightPath, [inFeatures, outFeatures])] + (bias ? [(biasPath, [outFeatures])] : [])
    }

    public func callAsFunction(_ p: ParameterSet, _ x: Tensor, _ ctx: ForwardContext) throws(NNError) -> Tensor {
        let w = try p.require(weightPath, shape: [inFeatures, outFeatures])
        guard x.shape.last == inFeatures else {
            throw .invalidInput("\(path): input of shape \(shapeString(x.shape)) does not end in \(inFeatures) features")
        }
        var y: Tensor
        if bias {
            let b = try p.require(biasPath, shape: [outFeatures])
            y = try nn { x.rank >= 2 ? try linear(x, w, b) : try add(matmul(x, w), b) }
        } else {
            y = try nn { x.rank >= 2 ? try linear(x, w) : try matmul(x, w) }
        }
        if ctx.loraEnabled, let a = p[path + ".lora_a"], let b = p[path + ".lora_b"] {
            guard a.rank == 2, b.rank == 2, a.shape[0] == inFeatures, b.shape[1] == outFeatures, a.shape[1] == b.shape[0] else {
                throw .parameter("\(path): LoRA factors \(shapeString(a.shape)) and \(shapeString(b.shape)) do not fit a \(inFeatures)→\(outFeatures) layer")
            }
            y = try nn { try add(y, mul(matmul(matmul(x, a), b), ctx.loraScale)) }
        }
        return y
    }
}

/// Layer norm (gain and bias) or RMS norm (gain) over the last axis.
public struct Norm: Sendable {
    public let path: String
    public let dim: Int
    public let kind: NormKind
    public let eps: Float

    public init(_ path: String, _ dim: Int, kind: NormKind, eps: Float = 1e-5) {
        self.path = path; self.dim = dim; self.kind = kind; self.eps = eps
    }

    public var shapes: [(String, [Int])] {
        kind == .layerNorm ? [(path + ".weight", [dim]), (path + ".bias", [dim])] : [(path + ".weight", [dim])]
    }

    public func initialize(into set: inout ParameterSet) throws(NNError) {
        set[path + ".weight"] = try nn { try Tensor.ones([dim]) }
        if kind == .layerNorm { set[path + ".bias"] = try nn { try Tensor.zeros([dim]) } }
    }

    public func callAsFunction(_ p: ParameterSet, _ x: Tensor) throws(NNError) -> Tensor {
        let g = try p.require(path + ".weight", shape: [dim])
        switch kind {
        case .layerNorm:
            let b = try p.require(path + ".bias", shape: [dim])
            return try nn { try layerNormAffine(x, g, b, eps: eps) }
        case .rmsNorm:
            return try nn { try Self.rmsNormalize(x, gain: g, eps: eps) }
        }
    }

    /// `x / √(mean(x²) + eps) ⊙ gain` over the last axis (RMS norm, also K-Adapter's
    /// normalised output).
    static func rmsNormalize(_ x: Tensor, gain g: Tensor, eps: Float) throws(TensorError) -> Tensor {
        let ms = try mean(mul(x, x), axes: [-1], keepDims: true)
        return try mul(div(x, sqrt(add(ms, eps))), g)
    }
}

/// Token embedding table [vocab, dim].
public struct Embedding: Sendable {
    public let path: String
    public let count: Int
    public let dim: Int

    public init(_ path: String, _ count: Int, _ dim: Int) { self.path = path; self.count = count; self.dim = dim }

    public var weightPath: String { path + ".weight" }

    public func initialize(into set: inout ParameterSet, std: Double, rng: inout TaalmRNG) throws(NNError) {
        set[weightPath] = try nn { try Tensor.randomNormal([count, dim], std: Float(std), rng: &rng) }
    }

    public func callAsFunction(_ p: ParameterSet, _ ids: IndexTensor) throws(NNError) -> Tensor {
        let w = try p.require(weightPath, shape: [count, dim])
        for v in ids.values where v < 0 || Int(v) >= count {
            throw .invalidInput("\(path): token id \(v) is outside the vocabulary 0..<\(count)")
        }
        return try nn { try gather(w, ids) }
    }
}

/// The feed-forward block: GELU MLP (fc1, fc2) or SwiGLU (w1, w3 gate, w2).
public struct MLP: Sendable {
    public let path: String
    public let dim: Int
    public let hidden: Int
    public let kind: MLPKind
    public let bias: Bool

    public init(_ path: String, dim: Int, hidden: Int, kind: MLPKind, bias: Bool) {
        self.path = path; self.dim = dim; self.hidden = hidden; self.kind = kind; self.bias = bias
    }

    var linears: [Linear] {
        switch kind {
        case .gelu: return [Linear(path + ".fc1", dim, hidden, bias: bias), Linear(path + ".fc2", hidden, dim, bias: bias)]
        case .swiglu: return [Linear(path + ".w1", dim, hidden, bias: bias), Linear(path + ".w3", dim, hidden, bias: bias),
                              Linear(path + ".w2", hidden, dim, bias: bias)]
        }
    }

    public var shapes: [(String, [Int])] { linears.flatMap(\.shapes) }

    public func initialize(into set: inout ParameterSet, std: Double, outStd: Double, rng: inout TaalmRNG) throws(NNError) {
        let ls = linears
        for (i, l) in ls.enumerated() { try l.initialize(into: &set, std: i == ls.count - 1 ? outStd : std, rng: &rng) }
    }

    public func callAsFunction(_ p: ParameterSet, _ x: Tensor, _ ctx: ForwardContext) throws(NNError) -> Tensor {
        let ls = linears
        switch kind {
        case .gelu:
            let h = try nn { try gelu(ls[0](p, x, ctx)) }
            return try ls[1](p, h, ctx)
        case .swiglu:
            let a = try ls[0](p, x, ctx), g = try ls[1](p, x, ctx)
            let h = try nn { try mul(mul(a, sigmoid(a)), g) }
            return try ls[2](p, h, ctx)
        }
    }
}
