import NN

/// How `pretrain` builds and trains the base model (CKL-STUDY.md's recipe): a decoder-only
/// transformer with rotary positions, trained from scratch with AdamW on the pretraining
/// corpus until the retention probes (NOT-TO-FORGET task sentences) reach `target`
/// accuracy, then `extraEpochs` more.
public struct PretrainConfig: Sendable, Hashable, CustomStringConvertible {
    public var dim: Int
    public var layers: Int
    public var heads: Int
    public var mlpRatio = 4.0
    public var positions: PositionKind = .rotary
    /// Longest row the model reads; nil = the longest document (at most 512 tokens; longer
    /// documents are cut into windows).
    public var context: Int?
    public var lr = 1e-3
    public var weightDecay = 0.01
    public var batchSize = 16
    /// Linear learning-rate warm-up steps (then constant).
    public var warmupSteps = 100
    public var clipNorm: Double? = 1.0
    /// Epoch cap for reaching the target (the extra epochs may run past it).
    public var maxEpochs = 200
    public var extraEpochs = 5
    /// NOT-TO-FORGET accuracy to reach.
    public var target = 0.9
    public var seed: UInt64 = 0
    public var tokenizer: TokenizerChoice = .automatic

    public init(dim: Int = 128, layers: Int = 3, heads: Int = 4) {
        self.dim = dim
        self.layers = layers
        self.heads = heads
    }

    /// d 64, 2 layers, 4 heads (the reference study's tiny base).
    public static var tiny: PretrainConfig { PretrainConfig(dim: 64, layers: 2, heads: 4) }
    /// d 128, 3 layers, 4 heads, RoPE (the reference study's small base, ~685 k parameters).
    public static var small: PretrainConfig { PretrainConfig(dim: 128, layers: 3, heads: 4) }

    /// The configuration for a preset name ("tiny", "small", "paper" = small).
    public static func preset(_ name: String) throws(CKLError) -> PretrainConfig {
        switch name {
        case "tiny": return .tiny
        case "small", "paper": return .small
        default: throw .invalidConfiguration("unknown pretraining preset \"\(name)\" (expected tiny, small or paper)")
        }
    }

    public func validate() throws(CKLError) {
        func bad(_ m: String) -> CKLError { .invalidConfiguration(m) }
        guard dim >= 2, dim <= 4096, layers >= 1, layers <= 64 else { throw bad("dim must be in 2...4096 and layers in 1...64 (got \(dim), \(layers))") }
        guard heads >= 1, dim % heads == 0 else { throw bad("heads (\(heads)) must divide dim (\(dim))") }
        guard positions != .rotary || (dim / heads) % 2 == 0 else { throw bad("rotary positions need an even head width, got \(dim / heads)") }
        if let c = context { guard c >= 2, c <= 4096 else { throw bad("context must be in 2...4096, got \(c)") } }
        guard lr > 0, lr.isFinite, weightDecay >= 0, weightDecay.isFinite else { throw bad("lr must be positive and weight decay ≥ 0") }
        guard batchSize >= 1, batchSize <= 4096 else { throw bad("batch size must be in 1...4096, got \(batchSize)") }
        guard warmupSteps >= 0 else { throw bad("warm-up steps must be ≥ 0") }
        if let c = clipNorm { guard c > 0, c.isFinite else { throw bad("clip norm must be positive") } }
        guard maxEpochs >= 1, maxEpochs <= 10_000, extraEpochs >= 0, extraEpochs <= 1000 else {
            throw bad("maxEpochs must be in 1...10000 and extraEpochs in 0...1000")
        }
        guard target >= 0, target <= 1 else { throw bad("target accuracy must be in [0, 1], got \(target)") }
    }

    public var description: String {
        "d \(dim), \(layers) layers, \(heads) heads, \(positions.rawValue) positions; AdamW lr \(lr), batch \(batchSize), "
            + "warm-up \(warmupSteps) steps; until NOT-TO-FORGET ≥ \(target) (cap \(maxEpochs) epochs) + \(extraEpochs) epochs; seed \(seed)"
    }
}

/// One epoch of pretraining.
public struct PretrainEpoch: Sendable, Hashable {
    public let epoch: Int
    /// Mean training loss over the epoch's steps.
    public let loss: Double
    /// Retention-probe accuracy (NOT-TO-FORGET) after the epoch.
    public let notToForget: Double
    /// Accuracy on the facts still to learn (TO-LEARN; NaN when there are none).
    public let toLearn: Double
}

/// What `pretrain` returns: the base model and how it got there.
public struct PretrainResult: Sendable, CustomStringConvertible {
    public let model: LanguageModel
    public let config: PretrainConfig
    public let curve: [PretrainEpoch]
    /// The first epoch at which NOT-TO-FORGET reached the target (nil if interrupted before).
    public let reachedTargetAt: Int?
    public let seconds: Double
    /// True when Ctrl-C stopped the run (the model holds its last completed step).
    public let interrupted: Bool

    /// NOT-TO-FORGET accuracy of the final model (the base's pre-test).
    public var notToForgetAccuracy: Double { curve.last?.notToForget ?? 0 }
    /// TO-LEARN accuracy of the final model (should be ≈ 0).
    public var toLearnAccuracy: Double { curve.last?.toLearn ?? .nan }
    public var epochs: Int { curve.count }

    public var description: String {
        var lines = ["pretrained \(epochs) epochs in \(String(format3: seconds)) s: NOT-TO-FORGET \(String(format3: notToForgetAccuracy)), TO-LEARN \(String(format3: toLearnAccuracy))"
            + (reachedTargetAt.map { " (target reached at epoch \($0))" } ?? "") + (interrupted ? " — interrupted" : "")]
        lines.append("  epoch  loss    NF     TO-LEARN")
        for e in curve {
            lines.append("  " + String(e.epoch).leftPad(5) + "  " + String(format3: e.loss).leftPad(6) + "  "
                         + String(format3: e.notToForget) + "  " + String(format3: e.toLearn))
        }
        return lines.joined(separator: "\n")
    }
}
