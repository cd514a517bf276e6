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

/// K-Adapter-style adapters: adapter j reads the output of base block `layers[j]` plus
/// the previous adapter's output, maps it down to `dim`, runs one transformer block of
/// width `dim`, and maps it back up (zero-initialised, so a fresh adapter set leaves the
/// model unchanged). The last adapter's output is added to the final hidden state
/// (before the final norm).
public struct AdapterConfig: Codable, Equatable, Sendable, CustomStringConvertible {
    public var layers: [Int]
    public var dim: Int
    public var heads: Int

    public init(layers: [Int], dim: Int, heads: Int) {
        self.layers = layers; self.dim = dim; self.heads = heads
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
    }

    public var description: String { "adapters at layers \(layers.map(String.init).joined(separator: ", ")), width \(dim), \(heads) heads" }
}
