import TensorCore

/// The small-scale recipe for the released LAMA-ckl units (500 TO-LEARN, 500 NOT-TO-FORGET).
///
/// The split:
/// - NOT-TO-FORGET: all released NOT-TO-FORGET units. Their evidence and task sentences are
///   in the pretraining corpus (a small model trained from scratch knows nothing, so it is
///   taught these facts, as the generated world does), and they are the retention test set.
/// - TO-LEARN is split per relation (`relation_code`, so every relation keeps its share),
///   after a seeded shuffle of each relation's units:
///   `skillFraction` of them (rounded) → skill: evidence + task in the pretraining corpus,
///   teaching the variant relations' task templates;
///   `metaFraction` (rounded) → META: Train-Attention meta-training, not pretrained;
///   the rest → the TO-LEARN test set (CKL trains on their evidence, tests their tasks).
/// With the defaults (0.2 / 0.3) the 500 TO-LEARN units become about 100 skill, 150 META and
/// 250 test units. Real objects are common words ("Brazil"), so unlike the generated world a
/// TO-LEARN object may occur in the pretraining corpus; that is the real data's nature.
public struct ReleasedRecipe: Hashable, Sendable {
    public var skillFraction: Double
    public var metaFraction: Double
    public var seed: UInt64

    public init(skillFraction: Double = 0.2, metaFraction: Double = 0.3, seed: UInt64 = 0) {
        self.skillFraction = skillFraction
        self.metaFraction = metaFraction
        self.seed = seed
    }

    public static let toLearnFile = "to_learn.jsonl"
    public static let notToForgetFile = "not_to_forget.jsonl"

    func validate() throws(CKLDataError) {
        guard skillFraction >= 0, metaFraction >= 0, skillFraction + metaFraction < 1 else {
            throw .invalidConfiguration(
                "skillFraction and metaFraction must be ≥ 0 with a sum below 1 (got \(skillFraction) and \(metaFraction))")
        }
    }

    /// Splits released units into a benchmark.
    public func apply(toLearn released: [CKLUnit], notToForget: [CKLUnit], name: String, folder: String)
        throws(CKLDataError) -> LamaCKLBenchmark {
        try validate()
        var rng = TaalmRNG(seed: seed)
        var byRelation: [String: [CKLUnit]] = [:]
        for u in released { byRelation[u.relationCode, default: []].append(u) }
        var skill: [CKLUnit] = [], meta: [CKLUnit] = [], test: [CKLUnit] = []
        for code in byRelation.keys.sorted() {
            var units = byRelation[code] ?? []
            shuffle(&units, rng: &rng)
            let n = units.count
            let nSkill = min(n, Int((Double(n) * skillFraction).rounded()))
            let nMeta = min(n - nSkill, Int((Double(n) * metaFraction).rounded()))
            skill += units[0..<nSkill]
            meta += units[nSkill..<(nSkill + nMeta)]
            test += units[(nSkill + nMeta)...]
        }
        // Restore file order inside each split (readable, and independent of relation order).
        let order = Dictionary(released.enumerated().map { ($1.uuid, $0) }, uniquingKeysWith: { a, _ in a })
        func fileOrder(_ a: CKLUnit, _ b: CKLUnit) -> Bool { (order[a.uuid] ?? 0) < (order[b.uuid] ?? 0) }
        skill.sort(by: fileOrder)
        meta.sort(by: fileOrder)
        test.sort(by: fileOrder)

        var corpus: [CorpusDocument] = []
        for u in notToForget + skill {
            corpus.append(CorpusDocument(text: u.evidence, kind: .evidence, unit: u.uuid))
            corpus.append(CorpusDocument(text: u.taskDescriptive, kind: .task, unit: u.uuid))
        }
        return LamaCKLBenchmark(name: name, origin: .released(folder: folder, recipe: self),
                                notToForget: notToForget, toLearn: test, meta: meta, skill: skill,
                                pretrainingCorpus: corpus)
    }
}
