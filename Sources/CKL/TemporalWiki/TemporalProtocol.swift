import Foundation
import Interrupts
import NN
import TensorCore
import TrainAttention

extension TemporalWikiBenchmark {
    /// Every text once, in a fixed order: base articles, period articles, probe sentences.
    public var allTexts: [String] {
        var seen = Set<String>()
        var out: [String] = []
        let texts = baseDocuments.map(\.text) + periods.flatMap { $0.documents.map(\.text) }
            + baseFacts.map { $0.relation.task(subject: $0.subject, object: $0.object) }
            + periods.flatMap { ($0.changed + $0.unchanged).map(\.sentence) }
        for t in texts where seen.insert(t).inserted { out.append(t) }
        return out
    }

    /// A word tokenizer over every text of the world.
    public func makeTokenizer() throws(CKLError) -> TextTokenizer {
        let texts = allTexts
        return .word(try model { () throws(NNError) in try WordTokenizer(corpus: texts) })
    }

    /// The task sentence of every base fact (the base snapshot's probes).
    public var baseProbes: [TemporalProbe] {
        baseFacts.compactMap { f in
            let s = f.relation.task(subject: f.subject, object: f.object)
            return Words.lastOccurrence(of: f.object, in: s).map {
                TemporalProbe(factID: f.id, subject: f.subject, relationCode: f.relation.code, relationLabel: f.relation.label,
                              object: f.object, previousObject: nil, sentence: s, objectSpan: $0)
            }
        }
    }

    /// The base model: trained from scratch on the base articles and the base facts' task
    /// sentences until it knows the base facts (probe accuracy ≥ `config.target`), then
    /// `config.extraEpochs` more. The "to learn" curve is period 1's changed facts.
    public func pretrain(_ config: PretrainConfig, progress: ((PretrainEpoch) -> Void)? = nil,
                         shouldStop: () -> Bool = Interrupt.take) throws(CKLError) -> PretrainResult {
        let tokenizer = try makeTokenizer()
        let encoder = UnitEncoder(tokenizer: tokenizer)
        var documents: [EncodedText] = []
        for d in baseDocuments { documents.append(try encoder.encode(d.text, objectSpans: [])) }
        let probes = baseProbes
        for p in probes { documents.append(try encoder.encode(p.sentence, objectSpans: [])) }
        return try Pretraining.run(documents: documents, tokenizer: tokenizer, retention: try TemporalWikiProtocol.taskSet(probes, encoder),
                                   watch: try TemporalWikiProtocol.taskSet(periods.first?.changed ?? [], encoder),
                                   config: config, progress: progress, shouldStop: shouldStop)
    }
}

/// The TemporalWiki protocol: train on each period's changed articles in sequence, each
/// period starting from the previous period's model (a fresh optimizer and warm-up per
/// period; RHO-1's reference and RecAdam's anchor are the period's starting weights); after
/// each period, the mean NLL of the object tokens on probes of CHANGED and UNCHANGED facts.
/// Oracle weighting marks the changed facts' objects inside the articles.
public enum TemporalWikiProtocol {
    static func taskSet(_ probes: [TemporalProbe], _ encoder: UnitEncoder) throws(CKLError) -> TaskSet {
        var seqs: [[Int]] = [], spans: [Range<Int>] = []
        for p in probes {
            let (ids, object) = try encoder.encodeTask(p.sentence, span: p.objectSpan)
            seqs.append(ids)
            spans.append(object)
        }
        return TaskSet(sequences: seqs, spans: spans)
    }

    /// A period's articles with the changed objects of each article's subject marked.
    static func documents(_ period: TemporalPeriod, _ encoder: UnitEncoder) throws(CKLError) -> [EncodedText] {
        var out: [EncodedText] = []
        for a in period.documents {
            let objects = period.changed.filter { $0.subject == a.subject }.map(\.object)
            let spans = objects.flatMap { Words.occurrences(of: $0, in: a.text).map(\.utf8) }
            out.append(try encoder.encode(a.text, objectSpans: spans))
        }
        return out
    }

    /// Runs `method` for `config.epochs` epochs per period from `base` (unchanged).
    public static func run(base: LanguageModel, benchmark: TemporalWikiBenchmark, method: CKLMethod, config: CKLRunConfig,
                           progress: ((TemporalPeriodRecord) -> Void)? = nil,
                           shouldStop: () -> Bool = Interrupt.take) throws(CKLError) -> TemporalResult {
        try config.validate()
        try method.mixReview?.validate()
        try method.recAdam?.validate(lr: config.lr)
        guard let tokenizer = base.tokenizer else { throw .invalidConfiguration("the base model has no tokenizer") }
        let encoder = UnitEncoder(tokenizer: tokenizer)
        let clock = ContinuousClock()
        let started = clock.now
        let lm = try model { () throws(NNError) in
            try LanguageModel(config: base.config, tokenizer: base.tokenizer, params: base.params, lora: base.lora, adapters: base.adapters)
        }
        try method.variant.apply(to: lm, seed: config.seed)
        let context = lm.config.context
        let objectOf = Dictionary(benchmark.baseProbes.map { ($0.sentence, $0.object) }, uniquingKeysWith: { a, _ in a })
        var rehearsalDocs: [EncodedText] = []
        for d in benchmark.baseDocuments { rehearsalDocs.append(try encoder.encode(d.text, objectSpans: [])) }
        for (s, o) in objectOf.sorted(by: { $0.key < $1.key }) { rehearsalDocs.append(try encoder.encode(s, object: o)) }
        let rehearsalRows = method.mixReview == nil ? [] : TrainingExample.rows(rehearsalDocs, context: context)
        var rehearsal = method.mixReview.map { RehearsalStream(rows: rehearsalRows, seed: $0.seed) }

        func measure(_ period: Int, changed: [TemporalProbe], unchanged: [TemporalProbe], loss: Double?, docs: Int)
            throws(CKLError) -> TemporalPeriodRecord {
            let c = try taskSet(changed, encoder), u = try taskSet(unchanged, encoder)
            return TemporalPeriodRecord(
                period: period, changedNLL: try TaskMetrics.objectNLL(lm, c, batchSize: config.evalBatchSize),
                unchangedNLL: try TaskMetrics.objectNLL(lm, u, batchSize: config.evalBatchSize),
                changedAccuracy: try TaskMetrics.accuracy(lm, c, batchSize: config.evalBatchSize),
                unchangedAccuracy: try TaskMetrics.accuracy(lm, u, batchSize: config.evalBatchSize), trainLoss: loss, documents: docs)
        }
        var records: [TemporalPeriodRecord] = []
        if let first = benchmark.periods.first {
            records.append(try measure(0, changed: first.changed, unchanged: first.unchanged, loss: nil, docs: 0))
            progress?(records[0])
        }
        var interrupted = false
        periods: for period in benchmark.periods {
            let rows = TrainingExample.rows(try documents(period, encoder), context: context)
            guard !rows.isEmpty else { continue }
            let steps = (rows.count + config.batchSize - 1) / config.batchSize
            let optimizer = try model { () throws(NNError) in try Optimizer(config.optimizerConfig) }
            let weighting = try method.weighting.policy(start: lm.params)
            let pull = method.recAdam.map { RecAdamPull(config: $0, start: lm.trainableParameters, totalSteps: steps * config.epochs, lr: config.lr) }
            let trainer = WeightedTrainer(model: lm, optimizer: optimizer, weighting: weighting, recAdam: pull)
            var lastLoss: Double? = nil
            var batches = EpochBatches(rows: rows, batchSize: config.batchSize, mixReview: nil, rehearsalRows: [],
                                       seed: config.seed &+ 0x7E3F &+ UInt64(period.index))
            for epoch in stride(from: 1, through: config.epochs, by: 1) {
                var lossSum = 0.0
                for var batch in batches.epoch(epoch) {
                    if let mix = method.mixReview, rehearsal != nil {
                        batch += rehearsal!.next(mix.rehearsalCount(rows: batch.count, epoch: epoch))
                    }
                    lossSum += Double(try trainer.step(try DocumentBatch.make(batch, context: context)))
                    if shouldStop() { interrupted = true; break periods }
                }
                lastLoss = lossSum / Double(steps)
            }
            let r = try measure(period.index, changed: period.changed, unchanged: period.unchanged, loss: lastLoss,
                                docs: period.documents.count)
            records.append(r)
            progress?(r)
        }
        let elapsed = clock.now - started
        return TemporalResult(method: method.name, settings: LamaCKLProtocol.settings(method, config, lm), periods: records,
                              seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                              interrupted: interrupted)
    }
}
