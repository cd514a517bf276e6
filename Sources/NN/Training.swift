import Foundation
import Interrupts
import TensorCore

/// Settings of a training run.
public struct TrainOptions: Sendable {
    public var epochs: Int
    public var batchSize: Int
    /// Seed for shuffling and dropout.
    public var seed: UInt64
    public var shuffle: Bool
    public var optimizer: OptimizerConfig
    /// Stop after this many steps even if epochs remain.
    public var maxSteps: Int?
    /// Call the `evaluate` hook every this many steps (0 = only at epoch ends).
    public var evalEvery: Int

    public init(epochs: Int = 1, batchSize: Int = 16, seed: UInt64 = 0, shuffle: Bool = true,
                optimizer: OptimizerConfig = .adamw(lr: 1e-3), maxSteps: Int? = nil, evalEvery: Int = 0) {
        self.epochs = epochs; self.batchSize = batchSize; self.seed = seed; self.shuffle = shuffle
        self.optimizer = optimizer; self.maxSteps = maxSteps; self.evalEvery = evalEvery
    }

    public func validate() throws(NNError) {
        guard epochs >= 1 else { throw .invalidConfig("epochs must be ≥ 1, got \(epochs)") }
        guard batchSize >= 1 else { throw .invalidConfig("batch size must be ≥ 1, got \(batchSize)") }
        if let m = maxSteps { guard m >= 1 else { throw .invalidConfig("maxSteps must be ≥ 1, got \(m)") } }
        guard evalEvery >= 0 else { throw .invalidConfig("evalEvery must be ≥ 0") }
        try optimizer.validate()
    }
}

/// One progress report, after each step.
public struct TrainProgress: Sendable, CustomStringConvertible {
    public let step: Int
    public let totalSteps: Int
    public let epoch: Int
    public let loss: Float
    public let tokensPerSecond: Double
    public let learningRate: Double
    public var description: String {
        "step \(step)/\(totalSteps) epoch \(epoch) loss \(String(format: "%.4f", loss)) \(Int(tokensPerSecond)) tok/s"
    }
}

/// Callbacks of a training run (all optional).
public struct TrainHooks {
    /// After every step.
    public var progress: ((TrainProgress) -> Void)?
    /// Every `evalEvery` steps and at the end of every epoch: (step, epoch, model).
    public var evaluate: ((Int, Int, LanguageModel) throws -> Void)?

    public init(progress: ((TrainProgress) -> Void)? = nil, evaluate: ((Int, Int, LanguageModel) throws -> Void)? = nil) {
        self.progress = progress; self.evaluate = evaluate
    }
}

/// What a training run did.
public struct TrainResult: Sendable, CustomStringConvertible {
    /// The loss of every step taken, in order.
    public var losses: [Float] = []
    public var steps: Int { losses.count }
    /// Fully completed epochs.
    public var epochsCompleted = 0
    /// True when Ctrl-C (an `Interrupt` request) stopped the run after a completed step.
    public var interrupted = false
    public var seconds: Double = 0
    public var tokens = 0
    public var finalLoss: Float? { losses.last }
    public var description: String {
        var s = "trained \(steps) steps (\(epochsCompleted) epochs) in \(String(format: "%.1f", seconds)) s"
        if let l = finalLoss { s += ", final loss \(String(format: "%.4f", l))" }
        if interrupted { s += " — interrupted (the model keeps its last completed step)" }
        return s
    }
}

extension LanguageModel {
    /// Token ids of `text` for training and scoring: `<bos>` + tokens (+ `<eos>`).
    public func encodeForModel(_ text: String, eos: Bool = true) throws(NNError) -> [Int] {
        guard let t = tokenizer else { throw .tokenizer("this model has no tokenizer; pass token ids instead") }
        return [t.bosId] + t.encode(text) + (eos ? [t.eosId] : [])
    }

    /// One training step on `batch`: forward, loss, backward, optimizer update of the
    /// trainable parameters. Returns the loss. A non-finite loss or gradient throws and
    /// leaves the model unchanged.
    @discardableResult
    public func trainStep(_ batch: TokenBatch, optimizer: Optimizer, seed: UInt64 = 0) throws(NNError) -> Float {
        let trainable = trainableParameters
        guard !trainable.isEmpty else { throw .invalidConfig("nothing to train: every parameter is frozen") }
        let paths = trainable.paths
        let ctx = context(dropout: config.dropout > 0, seed: seed)
        let base = params
        let (value, grads) = try nn {
            try Autodiff.valueAndGrad(at: trainable.tensors) { xs in
                var p = base
                for (path, x) in zip(paths, xs) { p[path] = x }
                return try self.loss(params: p, batch: batch, context: ctx)
            }
        }
        let loss = try nn { try value.item() }
        guard loss.isFinite else { throw .nonFiniteLoss(step: optimizer.stepCount + 1, value: loss) }
        let g = try ParameterSet(Array(zip(paths, grads)))
        let updated = try optimizer.step(params: trainable, grads: g)
        params = try params.applying(updated)
        return loss
    }

    /// Trains on token sequences (each split into context-sized windows), in shuffled
    /// padded batches, for `options.epochs` epochs.
    ///
    /// Stops early — returning normally with `interrupted == true` — when an `Interrupt`
    /// request arrives (checked after every step, so the model holds a completed step).
    /// A NaN/infinite loss throws `NNError.nonFiniteLoss` naming the step, with the
    /// model left at the previous step.
    public func fit(sequences: [[Int]], options: TrainOptions, optimizer: Optimizer? = nil,
                    hooks: TrainHooks = TrainHooks()) throws(NNError) -> TrainResult {
        try options.validate()
        let opt: Optimizer
        if let o = optimizer { opt = o } else { opt = try Optimizer(options.optimizer) }
        var examples: [[Int]] = []
        for s in sequences {
            for v in s where v < 0 || v >= config.vocabSize {
                throw .invalidInput("token id \(v) is outside the vocabulary 0..<\(config.vocabSize)")
            }
            examples += TokenBatch.windows(s, context: config.context)
        }
        guard !examples.isEmpty else { throw .invalidInput("no training sequence has two or more tokens") }
        let perEpoch = (examples.count + options.batchSize - 1) / options.batchSize
        var total = perEpoch * options.epochs
        if let m = options.maxSteps { total = Swift.min(total, m) }
        var rng = TaalmRNG(seed: options.seed)
        var result = TrainResult()
        let clock = ContinuousClock()
        let start = clock.now
        var step = 0
        epochs: for epoch in 1...options.epochs {
            var order = Array(examples.indices)
            if options.shuffle {
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            }
            for b in 0..<perEpoch {
                guard step < total else { break epochs }
                let idx = order[(b * options.batchSize)..<Swift.min((b + 1) * options.batchSize, order.count)]
                let batch = try TokenBatch(sequences: idx.map { examples[$0] }, padId: SpecialToken.pad.id, maxLength: config.context)
                let loss = try trainStep(batch, optimizer: opt, seed: options.seed &+ UInt64(step) &* 0x9E37_79B9)
                step += 1
                result.losses.append(loss)
                result.tokens += batch.tokenCount
                let elapsed = Self.seconds(clock.now - start)
                hooks.progress?(TrainProgress(step: step, totalSteps: total, epoch: epoch, loss: loss,
                                              tokensPerSecond: Double(result.tokens) / Swift.max(elapsed, 1e-9),
                                              learningRate: config.lr(opt)))
                if options.evalEvery > 0, step % options.evalEvery == 0, let ev = hooks.evaluate {
                    try nn { try ev(step, epoch, self) }
                }
                if Interrupt.take() {
                    result.interrupted = true
                    break epochs
                }
            }
            result.epochsCompleted = epoch
            if let ev = hooks.evaluate, options.evalEvery == 0 || step % options.evalEvery != 0 { try nn { try ev(step, epoch, self) } }
        }
        result.seconds = Self.seconds(clock.now - start)
        return result
    }

    /// Trains on texts (encoded as `<bos>` text `<eos>` with the model's tokenizer).
    public func fit(texts: [String], options: TrainOptions, optimizer: Optimizer? = nil,
                    hooks: TrainHooks = TrainHooks()) throws(NNError) -> TrainResult {
        var seqs: [[Int]] = []
        for t in texts { seqs.append(try encodeForModel(t)) }
        return try fit(sequences: seqs, options: options, optimizer: optimizer, hooks: hooks)
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}

extension TransformerConfig {
    /// The learning rate `opt` used at its last step.
    func lr(_ opt: Optimizer) -> Double { opt.config.lr * opt.config.schedule.factor(at: Swift.max(opt.stepCount, 1)) }
}
