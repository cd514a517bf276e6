import Foundation
import Interrupts
import NN
import TensorCore

/// The pretraining recipe: a fresh model trained on documents until retention probes reach
/// a target accuracy (then a few more epochs). Used for LAMA-ckl (`LamaCKLBenchmark.pretrain`)
/// and TemporalWiki (`TemporalWikiBenchmark.pretrain`).
public enum Pretraining {
    /// Trains a new model on `documents` (each `<bos>` … `<eos>`).
    ///
    /// - `retention`: probes that must reach `config.target` accuracy (NOT-TO-FORGET);
    /// - `watch`: probes measured for the curve only (TO-LEARN, expected ≈ 0).
    /// After every epoch both are evaluated; once `retention` ≥ target the run goes on for
    /// `config.extraEpochs` epochs and stops. Reaching the cap first throws
    /// `CKLError.pretrainingTargetMissed`. Ctrl-C (`Interrupt`) stops after the current step
    /// and returns what was trained, marked `interrupted` (`shouldStop` is polled after every step).
    public static func run(documents: [EncodedText], tokenizer: TextTokenizer, retention: TaskSet, watch: TaskSet,
                           config: PretrainConfig, progress: ((PretrainEpoch) -> Void)? = nil,
                           shouldStop: () -> Bool = Interrupt.take) throws(CKLError) -> PretrainResult {
        try config.validate()
        guard !documents.isEmpty else { throw .invalidConfiguration("the pretraining corpus is empty") }
        guard !retention.isEmpty else { throw .invalidConfiguration("pretraining needs retention probes (NOT-TO-FORGET units)") }
        let longest = (documents.map(\.ids.count) + retention.sequences.map(\.count) + watch.sequences.map(\.count)).max() ?? 2
        let context = config.context ?? Swift.min(512, Swift.max(2, longest - 1))
        let mc = TransformerConfig(vocabSize: tokenizer.vocabSize, dModel: config.dim, layers: config.layers, heads: config.heads,
                                   context: context, mlpRatio: config.mlpRatio, positions: config.positions)
        let lm = try model { () throws(NNError) in try LanguageModel(config: mc, tokenizer: tokenizer, seed: config.seed) }
        var oc = OptimizerConfig.adamw(lr: config.lr, weightDecay: config.weightDecay)
        oc.clipNorm = config.clipNorm
        oc.schedule = .warmup(steps: config.warmupSteps)
        let optimizer = try model { () throws(NNError) in try Optimizer(oc) }
        let rows = documents.flatMap { TrainingExample.rows($0, context: context).map(\.ids) }
        var rng = TaalmRNG(seed: config.seed &+ 0x5EED)
        let clock = ContinuousClock()
        let start = clock.now
        var curve: [PretrainEpoch] = []
        var reached: Int? = nil
        var interrupted = false
        var epoch = 0
        training: while true {
            epoch += 1
            var lossSum = 0.0, steps = 0
            for idx in Self.bucketedBatches(lengths: rows.map(\.count), batchSize: config.batchSize, rng: &rng) {
                let batch = try model { () throws(NNError) in
                    try TokenBatch(sequences: idx.map { rows[$0] }, padId: SpecialToken.pad.id, maxLength: context)
                }
                let loss = try model { () throws(NNError) in try lm.trainStep(batch, optimizer: optimizer) }
                lossSum += Double(loss)
                steps += 1
                if shouldStop() { interrupted = true; break }
            }
            let record = PretrainEpoch(epoch: epoch, loss: lossSum / Double(Swift.max(steps, 1)),
                                       notToForget: try TaskMetrics.accuracy(lm, retention),
                                       toLearn: watch.isEmpty ? .nan : try TaskMetrics.accuracy(lm, watch))
            curve.append(record)
            progress?(record)
            if interrupted { break training }
            if reached == nil, record.notToForget >= config.target { reached = epoch }
            if let r = reached, epoch >= r + config.extraEpochs { break training }
            if reached == nil, epoch >= config.maxEpochs {
                throw .pretrainingTargetMissed(target: config.target, best: curve.map(\.notToForget).max() ?? 0, epochs: epoch)
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return PretrainResult(model: lm, config: config, curve: curve, reachedTargetAt: reached, seconds: seconds,
                              interrupted: interrupted)
    }

    /// One epoch's batches (row indices), grouped by length so short rows (task sentences)
    /// do not pay for padding to long ones: rows are shuffled, cut into pools of 32 batches,
    /// each pool sorted by length and cut into batches, and the batch order shuffled.
    /// Every row appears exactly once; everything follows `rng`.
    static func bucketedBatches(lengths: [Int], batchSize: Int, rng: inout TaalmRNG) -> [[Int]] {
        var order = Array(lengths.indices)
        shuffle(&order, rng: &rng)
        let pool = 32 * batchSize
        var batches: [[Int]] = []
        var start = 0
        while start < order.count {
            let chunk = order[start..<Swift.min(start + pool, order.count)].sorted { (lengths[$0], $0) < (lengths[$1], $1) }
            var k = 0
            while k < chunk.count {
                batches.append(Array(chunk[k..<Swift.min(k + batchSize, chunk.count)]))
                k += batchSize
            }
            start += pool
        }
        shuffle(&batches, rng: &rng)
        return batches
    }
}

extension LamaCKLBenchmark {
    /// The base model of this benchmark: trained from scratch on `pretrainingCorpus` until it
    /// knows the NOT-TO-FORGET facts (task accuracy ≥ `config.target`), then
    /// `config.extraEpochs` more. The result carries the curve and the pre-test levels
    /// (NOT-TO-FORGET ≥ target, TO-LEARN ≈ 0).
    public func pretrain(_ config: PretrainConfig, progress: ((PretrainEpoch) -> Void)? = nil,
                         shouldStop: () -> Bool = Interrupt.take) throws(CKLError) -> PretrainResult {
        let tokenizer = try makeTokenizer(config.tokenizer)
        let encoder = UnitEncoder(tokenizer: tokenizer)
        var documents: [EncodedText] = []
        for d in pretrainingCorpus { documents.append(try encoder.encode(d.text, objectSpans: [])) }
        return try Pretraining.run(documents: documents, tokenizer: tokenizer,
                                   retention: TaskSet(try encoder.encode(notToForget)),
                                   watch: TaskSet(try encoder.encode(toLearn)), config: config, progress: progress,
                                   shouldStop: shouldStop)
    }
}
