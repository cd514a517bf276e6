/// LoRA settings: low-rank factors A [in, r] and B [r, out] on the linear layers whose
/// paths match `targets`, adding (x A) B · alpha/r to their output.
public struct LoRAConfig: Codable, Equatable, Sendable, CustomStringConvertible {
    public var rank: Int
    public var alpha: Double
    /// Glob patterns over linear-layer paths, e.g. `blocks.*.attn.wq`.
    public var targets: [String]
    /// True after `mergeLoRA()`: the factors live inside the base weights and are skipped.
    public var merged: Bool

    public init(rank: Int, alpha: Double, targets: [String], merged: Bool = false) {
        self.rank = rank; self.alpha = alpha; self.targets = targets; self.merged = merged
    }

    public var scale: Float { Float(alpha / Double(Swift.max(rank, 1))) }

    public func validate() throws(NNError) {
        guard rank >= 1, rank <= 1 << 16 else { throw .invalidConfig("LoRA rank must be in 1...65536, got \(rank)") }
        guard alpha.isFinite else { throw .invalidConfig("LoRA alpha must be finite") }
    }
    public var description: String { "LoRA rank \(rank), alpha \(alpha.formatted0) on \(targets.joined(separator: ", "))\(merged ? " (merged)" : "")" }
}

/// Where and how the adapters' output joins the model.
public enum AdapterOutput: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Added to the last block's output, before the final norm, unbounded (the up-projection
    /// starts at zero). To change a prediction the adapters must out-vote the base's hidden
    /// state, which the final norm then scales down on every input.
    case preNorm
    /// As in the CKL literature's K-Adapter (Jang et al. 2022, GPT-2: `scale ×
    /// LayerNorm(adapter output)` added after the final norm): `scale × gain ⊙ rms(a)`, added
    /// to the normalised final hidden state, so the adapters can move it by at most `scale ×
    /// max|gain|` of a unit-RMS vector. `gain` (path `adapters.out.gain`) starts at zero, so a
    /// fresh adapter set leaves the model unchanged.
    case normalized(scale: Double)

    /// Jang et al.'s scale.
    public static let literature = AdapterOutput.normalized(scale: 0.1)

    public var description: String {
        switch self {
        case .preNorm: return "added before the final norm"
        case .normalized(let s): return "normalised ×\(s.formatted0) after the final norm"
        }
    }
}

/// K-Adapter-style adapters: adapter j reads the output of base block `layers[j]` plus
/// the previous adapter's output, maps it down to `dim`, runs one transformer block of
/// width `dim`, and maps it back up. The last adapter's output joins the final hidden state
/// as `output` says: before the final norm (`.preNorm`, the default; the up-projection is
/// zero-initialised, so a fresh adapter set leaves the model unchanged) or normalised and
/// scaled after it (`.normalized`, the CKL literature's K-Adapter).
public struct AdapterConfig: Codable, Equatable, Sendable, CustomStringConvertible {
    public var layers: [Int]
    public var dim: Int
    public var heads: Int
    public var output: AdapterOutput

    public init(layers: [Int], dim: Int, heads: Int, output: AdapterOutput = .preNorm) {
        self.layers = layers; self.dim = dim; self.heads = heads; self.output = output
    }

    enum CodingKeys: String, CodingKey { case layers, dim, heads, output }

    /// Checkpoints written before `output` existed read as `.preNorm`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layers = try c.decode([Int].self, forKey: .layers)
        dim = try c.decode(Int.self, forKey: .dim)
        heads = try c.decode(Int.self, forKey: .heads)
        output = try c.decodeIfPresent(AdapterOutput.self, forKey: .output) ?? .preNorm
    }

    public func validate(baseLayers: Int) throws(NNError) {
        guard !layers.isEmpty else { throw .invalidConfig("give at least one layer for the adapters to read") }
        for l in layers where l < 0 || l >= baseLayers {
            throw .invalidConfig("adapter layer \(l) is out of range 0..<\(baseLayers)")
        }
        guard layers == layers.sorted(), Set(layers).count == layers.count else {
            throw .invalidConfig("adapter layers must be increasing and distinct, got \(layers)")
        }
        guard dim >= 1, dim <= 1 << 16, heads >= 1, dim % heads == 0 else {
            throw .invalidConfig("adapter width \(dim) must be in 1...65536 and divisible by its \(heads) heads")
        }
        if case .normalized(let s) = output, !(s.isFinite && s > 0) {
            throw .invalidConfig("the adapters' output scale must be positive and finite, got \(s)")
        }
    }

    public var description: String {
        "adapters at layers \(layers.map(String.init).joined(separator: ", ")), width \(dim), \(heads) heads"
            + (output == .preNorm ? "" : ", output \(output)")
    }
}
