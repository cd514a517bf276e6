/// A text of a pretraining corpus and where it comes from.
public struct CorpusDocument: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The unit's own evidence document.
        case evidence
        /// Another evidence document for the same fact (fresh template and distractors).
        case extraEvidence = "extra_evidence"
        /// The unit's task sentence.
        case task
    }
    public let text: String
    public let kind: Kind
    /// The uuid of the unit whose fact the document states.
    public let unit: String

    public init(text: String, kind: Kind, unit: String) {
        self.text = text
        self.kind = kind
        self.unit = unit
    }
}

/// A LAMA-ckl benchmark: the four splits and the pretraining corpus.
///
/// - `notToForget`: time-invariant facts the base model must know (it is pretrained on them);
/// - `toLearn`: facts the base model does not know; CKL trains on their evidence and tests
///   their task sentences;
/// - `meta`: units for meta-training Train-Attention, disjoint from TO-LEARN's entities and
///   absent from pretraining;
/// - `skill`: facts of every relation included in pretraining, so that the model knows
///   each relation's templates and can answer a TO-LEARN task once its evidence is learned;
/// - `pretrainingCorpus`: NOT-TO-FORGET and skill facts as evidence (plus extra evidence
///   documents in generated worlds) and task sentences.
public struct LamaCKLBenchmark: Hashable, Sendable {
    public enum Origin: Hashable, Sendable {
        case generated(preset: String?, config: LamaWorldConfig, seed: UInt64)
        /// The released units split by `ReleasedRecipe`.
        case released(folder: String, recipe: ReleasedRecipe)
        /// A benchmark saved with `save(to:)` and loaded back.
        case saved(folder: String)
    }

    public let name: String
    public let origin: Origin
    public let notToForget: [CKLUnit]
    public let toLearn: [CKLUnit]
    public let meta: [CKLUnit]
    public let skill: [CKLUnit]
    public let pretrainingCorpus: [CorpusDocument]

    public init(name: String, origin: Origin, notToForget: [CKLUnit], toLearn: [CKLUnit], meta: [CKLUnit],
                skill: [CKLUnit], pretrainingCorpus: [CorpusDocument]) {
        self.name = name
        self.origin = origin
        self.notToForget = notToForget
        self.toLearn = toLearn
        self.meta = meta
        self.skill = skill
        self.pretrainingCorpus = pretrainingCorpus
    }

    /// The splits by name, in display order.
    public var splits: [(name: String, units: [CKLUnit])] {
        [("NOT-TO-FORGET", notToForget), ("TO-LEARN", toLearn), ("META", meta), ("skill", skill)]
    }

    /// Every unit of every split.
    public var allUnits: [CKLUnit] { notToForget + toLearn + meta + skill }
}
