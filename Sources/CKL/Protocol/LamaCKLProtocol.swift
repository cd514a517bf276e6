import Foundation
import Interrupts
import NN
import TensorCore
import TrainAttention

/// A LAMA-ckl benchmark in a model's tokens: what a run trains on and tests.
public struct EncodedCKLData: Sendable {
    /// TO-LEARN units: the evidence to train on and the tasks to test.
    public let toLearn: [EncodedUnit]
    public let notToForget: [EncodedUnit]
    /// Pretraining documents with their own fact's object marked (Mix-review's rehearsal pool).
    public let rehearsal: [EncodedText]

    public init(toLearn: [EncodedUnit], notToForget: [EncodedUnit], rehearsal: [EncodedText]) {
        self.toLearn = toLearn
        self.notToForget = notToForget
        self.rehearsal = rehearsal
    }

    /// Encodes `benchmark` with `tokenizer` (the base model's).
    public init(_ benchmark: LamaCKLBenchmark, tokenizer: TextTokenizer) throws(CKLError) {
        let encoder = UnitEncoder(tokenizer: tokenizer)
        let objects = Dictionary(benchmark.allUnits.map { ($0.uuid, $0.object) }, uniquingKeysWith: { a, _ in a })
        var rehearsal: [EncodedText] = []
        for d in benchmark.pretrainingCorpus { rehearsal.append(try encoder.encode(d.text, object: objects[d.unit])) }
        self.init(toLearn: try encoder.encode(benchmark.toLearn), notToForget: try encoder.encode(benchmark.notToForget),
                  rehearsal: rehearsal)
    }
}

/// The LAMA-ckl protocol (PAPER.md): train a copy of the base model on the TO-LEARN
/// evidence for N epochs with a method; before training (epoch 0) and after every epoch,
/// measure TO-LEARN and NOT-TO-FORGET task accuracy.
public enum LamaCKLProtocol {
    /// Runs `method` from `base` (which is not changed) and returns the curves and table
    /// metrics; `progress` sees each epoch's record as it is measured. Ctrl-C (`Interrupt`)
    /// stops after the current step: the result holds the completed epochs, marked
    /// `interrupted`. Returns the trained model too.
    /// `shouldStop` is polled after every step (default: take a pending Ctrl-C).
    public static func run(base: LanguageModel, data: EncodedCKLData, method: CKLMethod, config: CKLRunConfig,
                           progress: ((CKLEpochRecord) -> Void)? = nil,
                           shouldStop: () -> Bool = Interrupt.take) throws(CKLError) -> (result: CKLResult, model: LanguageModel) {
        try config.validate()
        try method.mixReview?.validate()
        try method.recAdam?.validate(lr: config.lr)
        guard !data.toLearn.isEmpty else { throw .invalidConfiguration("the benchmark has no TO-LEARN units") }
        let clock = ContinuousClock()
        let started = clock.now

        // A copy of the base, then the method's variant (LoRA / adapters).
        let lm = try model { () throws(NNError) in
            let m = try LanguageModel(config: base.config, tokenizer: base.tokenizer, params: base.params,
                                      lora: base.lora, adapters: base.adapters)
            m.frozen = base.frozen
            return m
        }
        try method.variant.apply(to: lm, seed: config.seed)
        let context = lm.config.context
        let weighting = try method.weighting.policy(start: lm.params)
        var batches = EpochBatches(rows: TrainingExample.rows(data.toLearn.map(\.evidence), context: context),
                                   batchSize: config.batchSize, mixReview: method.mixReview,
                                   rehearsalRows: method.mixReview == nil ? [] : TrainingExample.rows(data.rehearsal, context: context),
                                   seed: config.seed &+ 0xC1C1)
        let stepsPerEpoch = batches.stepsPerEpoch
        let totalSteps = stepsPerEpoch * config.epochs
        let optimizer = try model { () throws(NNError) in try Optimizer(config.optimizerConfig) }
        let pull = method.recAdam.map { RecAdamPull(config: $0, start: lm.trainableParameters, totalSteps: totalSteps, lr: config.lr) }
        let trainer = WeightedTrainer(model: lm, optimizer: optimizer, weighting: weighting, recAdam: pull)
        let toLearnSet = TaskSet(data.toLearn), nfSet = TaskSet(data.notToForget)

        func evaluate(_ epoch: Int, loss: Double?) throws(CKLError) -> CKLEpochRecord {
            CKLEpochRecord(epoch: epoch, toLearn: try TaskMetrics.accuracy(lm, toLearnSet, batchSize: config.evalBatchSize),
                           notToForget: try TaskMetrics.accuracy(lm, nfSet, batchSize: config.evalBatchSize), trainLoss: loss)
        }
        var curve = [try evaluate(0, loss: nil)]
        progress?(curve[0])
        var interrupted = false
        epochs: for epoch in stride(from: 1, through: config.epochs, by: 1) {
            var lossSum = 0.0
            for batch in batches.epoch(epoch) {
                lossSum += Double(try trainer.step(try DocumentBatch.make(batch, context: context)))
                if shouldStop() { interrupted = true; break epochs }
            }
            let record = try evaluate(epoch, loss: lossSum / Double(Swift.max(stepsPerEpoch, 1)))
            curve.append(record)
            progress?(record)
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let result = CKLResult(method: method.name, settings: settings(method, config, lm), curve: curve,
                               plannedEpochs: config.epochs, seconds: seconds, interrupted: interrupted)
        return (result, lm)
    }

    /// Encodes `benchmark` with the base model's tokenizer and runs the protocol.
    public static func run(base: LanguageModel, benchmark: LamaCKLBenchmark, method: CKLMethod, config: CKLRunConfig,
                           progress: ((CKLEpochRecord) -> Void)? = nil, shouldStop: () -> Bool = Interrupt.take) throws(CKLError) -> CKLResult {
        guard let t = base.tokenizer else { throw .invalidConfiguration("the base model has no tokenizer") }
        return try run(base: base, data: EncodedCKLData(benchmark, tokenizer: t), method: method, config: config,
                       progress: progress, shouldStop: shouldStop).result
    }

    static func settings(_ m: CKLMethod, _ c: CKLRunConfig, _ lm: LanguageModel) -> [CKLResult.Setting] {
        var s: [CKLResult.Setting] = [
            .init("weighting", m.weighting.name), .init("epochs", String(c.epochs)), .init("batch", String(c.batchSize)),
            .init("optimizer", c.optimizer.rawValue), .init("lr", String(c.lr)), .init("warmup_steps", String(c.warmupSteps)),
            .init("seed", String(c.seed)), .init("trainable_parameters", String(lm.trainableCount)),
        ]
        if case .rho1(let k) = m.weighting { s.append(.init("rho1_keep", String(k))) }
        if let l = lm.lora { s.append(.init("lora", l.description)) }
        if let a = lm.adapters { s.append(.init("adapters", a.description)) }
        if let mix = m.mixReview { s.append(.init("mix_review", mix.description)) }
        if let r = m.recAdam { s.append(.init("recadam", r.description)) }
        return s
    }
}
