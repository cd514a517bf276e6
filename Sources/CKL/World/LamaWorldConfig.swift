/// The sizes and knobs of a generated LAMA-ckl-style world.
///
/// Presets follow the reference study (CKL-STUDY.md): `tiny` for tests, `small` for the
/// examples, `paper` for the paper's 500 TO-LEARN / 500 NOT-TO-FORGET.
public struct LamaWorldConfig: Hashable, Sendable {
    public var notToForget: Int
    public var toLearn: Int
    public var meta: Int
    public var skill: Int
    /// Extra evidence documents (fresh template and distractors) per pretraining fact.
    public var extraEvidencePerFact = 2
    /// Known objects per type (cities, countries, ...): the pool NOT-TO-FORGET and skill
    /// facts draw their objects from.
    public var knownObjectsPerType: Int
    /// People who only appear in distractor sentences.
    public var backgroundPeople: Int
    public var objectMentionProbability = 0.5
    public var distractorsPerDocument: ClosedRange<Int> = 2...3

    public init(notToForget: Int, toLearn: Int, meta: Int, skill: Int, extraEvidencePerFact: Int = 2,
                knownObjectsPerType: Int, backgroundPeople: Int) {
        self.notToForget = notToForget
        self.toLearn = toLearn
        self.meta = meta
        self.skill = skill
        self.extraEvidencePerFact = extraEvidencePerFact
        self.knownObjectsPerType = knownObjectsPerType
        self.backgroundPeople = backgroundPeople
    }

    public static let tiny = LamaWorldConfig(notToForget: 40, toLearn: 40, meta: 160, skill: 80,
                                             knownObjectsPerType: 10, backgroundPeople: 30)
    public static let small = LamaWorldConfig(notToForget: 150, toLearn: 150, meta: 300, skill: 300,
                                              knownObjectsPerType: 20, backgroundPeople: 60)
    /// 500 / 500 as in the paper; META and skill at 1000 each (2× TO-LEARN, as `small`'s
    /// META : TO-LEARN ratio).
    public static let paper = LamaWorldConfig(notToForget: 500, toLearn: 500, meta: 1000, skill: 1000,
                                              knownObjectsPerType: 40, backgroundPeople: 150)

    public static let presetNames = ["tiny", "small", "paper"]

    /// The preset with this name, or an error listing the valid names.
    public static func preset(_ name: String) throws(CKLDataError) -> LamaWorldConfig {
        switch name {
        case "tiny": return .tiny
        case "small": return .small
        case "paper": return .paper
        default:
            throw .invalidConfiguration("unknown preset \"\(name)\" (expected one of: \(presetNames.joined(separator: ", ")))")
        }
    }

    /// The largest split size accepted (keeps generation time and name space bounded).
    public static let maxUnitsPerSplit = 20_000

    func validate() throws(CKLDataError) {
        for (name, n) in [("notToForget", notToForget), ("toLearn", toLearn), ("meta", meta), ("skill", skill)] {
            guard (0...Self.maxUnitsPerSplit).contains(n) else {
                throw .invalidConfiguration("\(name) must be in 0...\(Self.maxUnitsPerSplit), not \(n)")
            }
        }
        guard (0...10).contains(extraEvidencePerFact) else {
            throw .invalidConfiguration("extraEvidencePerFact must be in 0...10, not \(extraEvidencePerFact)")
        }
        guard (2...500).contains(knownObjectsPerType) else {
            throw .invalidConfiguration("knownObjectsPerType must be in 2...500, not \(knownObjectsPerType)")
        }
        guard (3...5000).contains(backgroundPeople) else {
            throw .invalidConfiguration("backgroundPeople must be in 3...5000, not \(backgroundPeople)")
        }
        guard (0...1).contains(objectMentionProbability) else {
            throw .invalidConfiguration("objectMentionProbability must be in 0...1")
        }
        guard distractorsPerDocument.lowerBound >= 0, distractorsPerDocument.upperBound <= 8 else {
            throw .invalidConfiguration("distractorsPerDocument must lie in 0...8")
        }
    }
}
