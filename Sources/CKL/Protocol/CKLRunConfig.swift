import NN

/// Settings of a LAMA-ckl (or TemporalWiki) training run.
///
/// The learning-rate warm-up matters (CKL-STUDY.md): without it Adam's first full-size
/// steps on a concentrated loss (oracle-like weights) wreck NOT-TO-FORGET in epoch 1.
public struct CKLRunConfig: Sendable, Hashable, CustomStringConvertible {
    public var epochs = 30
    public var batchSize = 16
    public var lr = 1e-3
    /// Linear warm-up steps, then constant (the study: 30 steps ≈ 3 epochs on `small`).
    public var warmupSteps = 30
    public var optimizer: OptimizerKind = .adamw
    /// nil = 0.01 for AdamW, 0 otherwise.
    public var weightDecay: Double?
    public var clipNorm: Double?
    /// Seed of the document order (and of LoRA/adapter initialisation).
    public var seed: UInt64 = 0
    public var evalBatchSize = 64

    public init(epochs: Int = 30, batchSize: Int = 16, lr: Double = 1e-3, warmupSteps: Int = 30, seed: UInt64 = 0) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.lr = lr
        self.warmupSteps = warmupSteps
        self.seed = seed
    }

    /// The study's `tiny` settings: lr 5e-4, batch 8, 15 epochs, 15-step warm-up.
    public static var tiny: CKLRunConfig { CKLRunConfig(epochs: 15, batchSize: 8, lr: 5e-4, warmupSteps: 15) }
    /// The study's `small` settings: lr 1e-3, batch 16, 30 epochs, 30-step warm-up.
    public static var small: CKLRunConfig { CKLRunConfig() }

    public var optimizerConfig: OptimizerConfig {
        var c = OptimizerConfig(kind: optimizer, lr: lr, weightDecay: weightDecay)
        c.clipNorm = clipNorm
        c.schedule = .warmup(steps: warmupSteps)
        return c
    }

    public func validate() throws(CKLError) {
        func bad(_ m: String) -> CKLError { .invalidConfiguration(m) }
        guard epochs >= 0, epochs <= 10_000 else { throw bad("epochs must be in 0...10000, got \(epochs)") }
        guard batchSize >= 1, batchSize <= 4096 else { throw bad("batch size must be in 1...4096, got \(batchSize)") }
        guard lr >= 0, lr.isFinite else { throw bad("lr must be ≥ 0 and finite, got \(lr)") }
        guard warmupSteps >= 0 else { throw bad("warm-up steps must be ≥ 0, got \(warmupSteps)") }
        guard evalBatchSize >= 1, evalBatchSize <= 4096 else { throw bad("evaluation batch size must be in 1...4096") }
        do { try optimizerConfig.validate() } catch { throw .model(error) }
    }

    public var description: String {
        "\(epochs) epochs, batch \(batchSize), \(optimizer.rawValue) lr \(lr), warm-up \(warmupSteps) steps"
            + (weightDecay.map { ", weight decay \($0)" } ?? "") + (clipNorm.map { ", clip \($0)" } ?? "") + ", seed \(seed)"
    }
}
