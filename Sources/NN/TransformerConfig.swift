/// Normalisation layer kind.
public enum NormKind: String, Codable, Sendable, CaseIterable {
    /// Layer norm with a learned gain and bias.
    case layerNorm = "layernorm"
    /// RMS norm with a learned gain.
    case rmsNorm = "rmsnorm"
}

/// How the model knows token positions.
public enum PositionKind: String, Codable, Sendable, CaseIterable {
    /// A learned table of `context` position vectors added to the token embeddings.
    case learned
    /// Rotary position embeddings (RoPE, half-split form) applied to queries and keys.
    case rotary
}

/// The feed-forward block.
public enum MLPKind: String, Codable, Sendable, CaseIterable {
    /// Linear → GELU (tanh approximation) → linear.
    case gelu
    /// SwiGLU: (SiLU(x W1) ⊙ x W3) W2.
    case swiglu
}

/// The shape of a decoder-only transformer (pre-norm, GPT-2 style).
///
/// The hidden width of the MLP is `mlpRatio × dModel` (rounded). `validate()` reports
/// the first impossible setting as an error.
public struct TransformerConfig: Codable, Equatable, Sendable, CustomStringConvertible {
    public var vocabSize: Int
    public var dModel: Int
    public var layers: Int
    public var heads: Int
    /// Longest sequence the model reads (size of the learned position table).
    public var context: Int
    public var mlpRatio: Double
    public var norm: NormKind
    public var positions: PositionKind
    public var mlp: MLPKind
    /// The LM head reuses the token embedding matrix (transposed).
    public var tiedEmbeddings: Bool
    /// Biases in the attention and MLP linear layers.
    public var bias: Bool
    /// Dropout probability on embeddings and residual branches during training.
    public var dropout: Double
    public var normEps: Double
    public var ropeBase: Double
    /// Standard deviation of the normal initialisation (GPT-2: 0.02); output projections
    /// of residual branches are scaled by 1/√(2·layers).
    public var initStd: Double

    public init(vocabSize: Int, dModel: Int = 64, layers: Int = 2, heads: Int = 4, context: Int = 64,
                mlpRatio: Double = 4, norm: NormKind = .layerNorm, positions: PositionKind = .learned,
                mlp: MLPKind = .gelu, tiedEmbeddings: Bool = false, bias: Bool = true, dropout: Double = 0,
                normEps: Double = 1e-5, ropeBase: Double = 10000, initStd: Double = 0.02) {
        self.vocabSize = vocabSize; self.dModel = dModel; self.layers = layers; self.heads = heads
        self.context = context; self.mlpRatio = mlpRatio; self.norm = norm; self.positions = positions
        self.mlp = mlp; self.tiedEmbeddings = tiedEmbeddings; self.bias = bias; self.dropout = dropout
        self.normEps = normEps; self.ropeBase = ropeBase; self.initStd = initStd
    }

    public var headDim: Int { heads > 0 ? dModel / heads : 0 }
    public var mlpHidden: Int { Swift.max(1, Int((mlpRatio * Double(dModel)).rounded())) }

    public func validate() throws(NNError) {
        func bad(_ m: String) -> NNError { .invalidConfig(m) }
        guard vocabSize >= 1 else { throw bad("vocab size must be ≥ 1, got \(vocabSize)") }
        guard dModel >= 1 else { throw bad("model width must be ≥ 1, got \(dModel)") }
        guard layers >= 0 else { throw bad("layer count must be ≥ 0, got \(layers)") }
        guard heads >= 1, dModel % heads == 0 else { throw bad("heads (\(heads)) must be ≥ 1 and divide the width \(dModel)") }
        guard context >= 1, context <= 1 << 20 else { throw bad("context must be in 1...1048576, got \(context)") }
        guard vocabSize <= 1 << 24, dModel <= 1 << 16, layers <= 1024 else {
            throw bad("vocab ≤ 16M, width ≤ 65536 and ≤ 1024 layers are supported")
        }
        guard mlpRatio > 0, mlpRatio.isFinite, mlpRatio * Double(dModel) <= 1e8 else {
            throw bad("MLP ratio must be positive and the MLP width at most 1e8, got \(mlpRatio)")
        }
        guard positions != .rotary || headDim % 2 == 0 else {
            throw bad("rotary positions need an even head width, got \(headDim)")
        }
        guard dropout >= 0, dropout < 1 else { throw bad("dropout must be in [0, 1), got \(dropout)") }
        guard normEps >= 0, normEps.isFinite else { throw bad("norm eps must be ≥ 0, got \(normEps)") }
        guard ropeBase > 1, ropeBase.isFinite else { throw bad("RoPE base must be > 1, got \(ropeBase)") }
        guard initStd > 0, initStd.isFinite else { throw bad("init std must be positive, got \(initStd)") }
        let params = Double(vocabSize) * Double(dModel) + Double(layers) * 12 * Double(dModel) * Double(dModel)
        guard params < 2e9 else { throw bad("about \(Int(params)) parameters is too many for this CPU build") }
    }

    public var description: String {
        "d_model \(dModel), \(layers) layers, \(heads) heads, context \(context), vocab \(vocabSize), MLP \(mlp.rawValue) ×\(mlpRatio.formatted0), \(norm.rawValue), \(positions.rawValue) positions\(tiedEmbeddings ? ", tied embeddings" : "")\(dropout > 0 ? ", dropout \(dropout)" : "")"
    }
}

extension Double {
    /// "4" for 4.0, "2.5" for 2.5.
    var formatted0: String { self == rounded() && Swift.abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
