import TensorCore

/// Generates a LAMA-ckl-style world (CKL-STUDY.md's design) from a config and a seed.
///
/// - Known objects: `knownObjectsPerType` names per object type (2–3 syllables).
/// - NOT-TO-FORGET: new people, invariant relations (balanced), known objects.
/// - skill: new people, all six relations (balanced), known objects.
/// - META: new people, variant relations, novel object names (one per unit).
/// - TO-LEARN: new people, variant relations, novel object names (one per unit),
///   so a base model cannot score by completing a name it knows.
/// - Pretraining corpus: per NOT-TO-FORGET and skill fact, its evidence, then
///   `extraEvidencePerFact` more evidence documents, then its task sentence.
/// All names are unique and prefix-free (`NameForge`); TO-LEARN and META entities never
/// appear in the pretraining corpus. Everything flows from the seed: four independent
/// streams (names, facts, documents, ids) split off `TaalmRNG(seed:)`.
public enum LamaWorldGenerator {
    public static func generate(_ config: LamaWorldConfig, seed: UInt64, preset: String? = nil)
        throws(CKLDataError) -> LamaCKLBenchmark {
        try config.validate()
        var root = TaalmRNG(seed: seed)
        var nameRNG = root.split(), factRNG = root.split(), docRNG = root.split(), idRNG = root.split()
        var forge = NameForge()

        var known: [EntityType: [String]] = [:]
        for type in EntityType.allCases where type != .person {
            var pool: [String] = []
            for _ in 0..<config.knownObjectsPerType { pool.append(try forge.make(rng: &nameRNG)) }
            known[type] = pool
        }
        var background: [String] = []
        for _ in 0..<config.backgroundPeople { background.append(try forge.make(rng: &nameRNG)) }

        let renderer = TemplateRenderer(pools: SlotPools(cities: known[.city] ?? [], people: background))
        let writer = EvidenceWriter(renderer: renderer, objectMentionProbability: config.objectMentionProbability,
                                    distractorRange: config.distractorsPerDocument)

        func unit(_ relation: RelationSchema, object: String) throws(CKLDataError) -> CKLUnit {
            let subject = try forge.make(rng: &nameRNG)
            let doc = writer.document(subject: subject, relation: relation, object: object, rng: &docRNG)
            return try CKLUnit(
                relationCode: relation.code, uuid: makeUUID(&idRNG),
                taskDescriptive: relation.task(subject: subject, object: object),
                subject: subject, relationLabel: relation.label, object: object,
                maskedEvidence: doc.masked, evidence: doc.text, invariant: relation.invariant)
        }
        func split(_ count: Int, relations: [RelationSchema], novelObjects: Bool) throws(CKLDataError) -> [CKLUnit] {
            var units: [CKLUnit] = []
            for i in 0..<count {
                let relation = relations[i % relations.count]
                let object: String
                if novelObjects {
                    object = try forge.make(rng: &nameRNG)
                } else {
                    let pool = known[relation.objectType] ?? []
                    object = pool[factRNG.nextInt(below: pool.count)]
                }
                units.append(try unit(relation, object: object))
            }
            shuffle(&units, rng: &factRNG)
            return units
        }

        let notToForget = try split(config.notToForget, relations: RelationSchema.invariantRelations, novelObjects: false)
        let skill = try split(config.skill, relations: RelationSchema.all, novelObjects: false)
        let meta = try split(config.meta, relations: RelationSchema.variantRelations, novelObjects: true)
        let toLearn = try split(config.toLearn, relations: RelationSchema.variantRelations, novelObjects: true)

        var corpus: [CorpusDocument] = []
        for u in notToForget + skill {
            guard let relation = RelationSchema.named(u.relationCode) else { continue }
            corpus.append(CorpusDocument(text: u.evidence, kind: .evidence, unit: u.uuid))
            for _ in 0..<config.extraEvidencePerFact {
                let doc = writer.document(subject: u.subject, relation: relation, object: u.object, rng: &docRNG)
                corpus.append(CorpusDocument(text: doc.text, kind: .extraEvidence, unit: u.uuid))
            }
            corpus.append(CorpusDocument(text: u.taskDescriptive, kind: .task, unit: u.uuid))
        }

        let presetText = preset.map { "preset \($0), " } ?? ""
        return LamaCKLBenchmark(
            name: "LAMA-ckl world (generated, \(presetText)seed \(seed))",
            origin: .generated(preset: preset, config: config, seed: seed),
            notToForget: notToForget, toLearn: toLearn, meta: meta, skill: skill, pretrainingCorpus: corpus)
    }

    /// A version-4-shaped UUID from the RNG (deterministic per seed).
    static func makeUUID(_ rng: inout TaalmRNG) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let r = rng.next()
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: r >> (8 * UInt64(k)))) }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}

extension LamaCKLBenchmark {
    /// The generated world of a preset ("tiny", "small", "paper").
    public static func generated(preset: String, seed: UInt64) throws(CKLDataError) -> LamaCKLBenchmark {
        try LamaWorldGenerator.generate(LamaWorldConfig.preset(preset), seed: seed, preset: preset)
    }

    /// A generated world of a custom configuration.
    public static func generated(_ config: LamaWorldConfig, seed: UInt64) throws(CKLDataError) -> LamaCKLBenchmark {
        try LamaWorldGenerator.generate(config, seed: seed)
    }
}
