import Foundation
import TensorCore

/// The additive attention mask: 0 where query t may read key s (s ≤ t and key s is
/// not padding), −1e9 elsewhere. Shape [1, 1, T, T] without a key mask, [B, 1, T, T]
/// with one (`keyMask` [B, T]: 1 = real token, 0 = padding). A query always sees its own
/// position, so no row is fully masked (a padding query attends to itself; its output is
/// ignored by the masked loss) and nothing becomes NaN.
public func attentionMask(length t: Int, keyMask: Tensor? = nil) throws(NNError) -> Tensor {
    let blocked: Float = -1e9
    if let km = keyMask {
        guard km.rank == 2, km.shape[1] == t else {
            throw .invalidInput("attention key mask has shape \(shapeString(km.shape)), expected [batch, \(t)]")
        }
        let b = km.shape[0]
        let m = try nn { try Tensor.zeros([b, 1, t, t]) }
        let p = m.storage.pointer, k = km.storage.pointer
        for bi in 0..<b {
            for q in 0..<t {
                for s in 0..<t where s > q || (k[bi * t + s] == 0 && s != q) { p[(bi * t + q) * t + s] = blocked }
            }
        }
        return m
    }
    let m = try nn { try Tensor.zeros([1, 1, t, t]) }
    let p = m.storage.pointer
    for q in 0..<t { for s in (q + 1)..<max(t, q + 1) { p[q * t + s] = blocked } }
    return m
}

/// Rotary position tables for positions 0..<t: cos and sin of shape [t, 1, headDim]
/// (half-split layout: dimension i and i + headDim/2 rotate together), and the fixed
/// matrix R with x R = rotate_half(x) = [−x₂, x₁].
public struct RotaryTables {
    public let cos: Tensor
    public let sin: Tensor
    public let rotate: Tensor

    public init(length t: Int, headDim d: Int, base: Double) throws(NNError) {
        guard d % 2 == 0, d > 0 else { throw .invalidConfig("rotary positions need an even head width, got \(d)") }
        let half = d / 2
        let c = try nn { try Tensor.zeros([t, 1, d]) }, s = try nn { try Tensor.zeros([t, 1, d]) }
        for pos in 0..<t {
            for i in 0..<half {
                let freq = Foundation.pow(base, -2 * Double(i) / Double(d))
                let a = Double(pos) * freq
                c.storage.pointer[pos * d + i] = Float(Foundation.cos(a)); c.storage.pointer[pos * d + i + half] = Float(Foundation.cos(a))
                s.storage.pointer[pos * d + i] = Float(Foundation.sin(a)); s.storage.pointer[pos * d + i + half] = Float(Foundation.sin(a))
            }
        }
        let r = try nn { try Tensor.zeros([d, d]) }
        // (x R)[j] = Σ_k x[k] R[k, j]: out[i] = −x[i + half], out[i + half] = x[i].
        for i in 0..<half {
            r.storage.pointer[(i + half) * d + i] = -1
            r.storage.pointer[i * d + i + half] = 1
        }
        cos = c; sin = s; rotate = r
    }

    /// x [B, T, H, D] rotated by position: x·cos + rotate_half(x)·sin.
    public func apply(_ x: Tensor) throws(NNError) -> Tensor {
        try nn { try add(mul(x, cos), mul(matmul(x, rotate), sin)) }
    }
}

/// Causal multi-head self-attention with query, key, value and output projections.
public struct SelfAttention: Sendable {
    public let path: String
    public let dim: Int
    public let heads: Int
    public let bias: Bool

    public init(_ path: String, dim: Int, heads: Int, bias: Bool) {
        self.path = path; self.dim = dim; self.heads = heads; self.bias = bias
    }

    public var wq: Linear { Linear(path + ".wq", dim, dim, bias: bias) }
    public var wk: Linear { Linear(path + ".wk", dim, dim, bias: bias) }
    public var wv: Linear { Linear(path + ".wv", dim, dim, bias: bias) }
    public var wo: Linear { Linear(path + ".wo", dim, dim, bias: bias) }
    public var shapes: [(String, [Int])] { [wq, wk, wv, wo].flatMap(\.shapes) }

    public func initialize(into set: inout ParameterSet, std: Double, outStd: Double, rng: inout TaalmRNG) throws(NNError) {
        for l in [wq, wk, wv] { try l.initialize(into: &set, std: std, rng: &rng) }
        try wo.initialize(into: &set, std: outStd, rng: &rng)
    }

    /// x [B, T, D] → [B, T, D]. `mask` is an additive mask from `attentionMask`; nil
    /// means plain causal attention, computed by the fused `causalSoftmax` (no mask
    /// tensor, the 1/√d scale inside the kernel). `rotary` applies RoPE to queries and keys.
    public func callAsFunction(_ p: ParameterSet, _ x: Tensor, mask: Tensor?, rotary: RotaryTables?,
                               _ ctx: ForwardContext) throws(NNError) -> Tensor {
        guard x.rank == 3, x.shape[2] == dim else {
            throw .invalidInput("\(path): expected input [batch, time, \(dim)], got \(shapeString(x.shape))")
        }
        let b = x.shape[0], t = x.shape[1], hd = dim / heads
        let scale = 1 / Float(hd).squareRoot()
        // With an additive mask, the 1/√d scale is folded into the (smaller) query tensor;
        // the causal kernel applies it itself. Queries, keys and values stay in the
        // projections' [B, T, H, hd] layout: the head products read them in place.
        var q = try nn { try reshape(mask == nil ? wq(p, x, ctx) : mul(wq(p, x, ctx), scale), [b, t, heads, hd]) }
        var k = try nn { try reshape(wk(p, x, ctx), [b, t, heads, hd]) }
        let v = try nn { try reshape(wv(p, x, ctx), [b, t, heads, hd]) }
        if let r = rotary { q = try r.apply(q); k = try r.apply(k) }
        let out: Tensor = try nn {
            let scores = try headScores(q, k)                               // [B, H, T, T]
            let weights: Tensor
            if let mask {
                weights = try softmax(add(scores, mask))
            } else {
                weights = try causalSoftmax(scores, scale: scale)
            }
            return try reshape(headContext(weights, v), [b, t, dim])       // [B, T, H, hd] → [B, T, D]
        }
        return try wo(p, out, ctx)
    }
}
