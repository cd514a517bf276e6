import TensorCore

/// Sizes and knobs of a TemporalWiki-style world.
public struct TemporalWikiConfig: Hashable, Sendable {
    /// People in the world; each has one fact of every relation (3 invariant, 3 variant).
    public var people: Int
    /// Periods after the base snapshot (TemporalWiki used consecutive monthly snapshots).
    public var periods = 3
    /// Share of the variant facts that change object in each period (facts change at most once).
    public var changeFraction = 0.2
    /// Share of changes whose new object is a newly introduced name (the rest move to
    /// another known object of the same type).
    public var newObjectShare = 0.5
    public var knownObjectsPerType: Int
    public var backgroundPeople: Int

    public init(people: Int, periods: Int = 3, changeFraction: Double = 0.2, newObjectShare: Double = 0.5,
                knownObjectsPerType: Int, backgroundPeople: Int) {
        self.people = people
        self.periods = periods
        self.changeFraction = changeFraction
        self.newObjectShare = newObjectShare
        self.knownObjectsPerType = knownObjectsPerType
        self.backgroundPeople = backgroundPeople
    }

    public static let tiny = TemporalWikiConfig(people: 60, knownObjectsPerType: 10, backgroundPeople: 30)
    public static let small = TemporalWikiConfig(people: 200, knownObjectsPerType: 20, backgroundPeople: 60)

    public static func preset(_ name: String) throws(CKLDataError) -> TemporalWikiConfig {
        switch name {
        case "tiny": return .tiny
        case "small": return .small
        default: throw .invalidConfiguration("unknown TemporalWiki preset \"\(name)\" (expected one of: tiny, small)")
        }
    }

    func validate() throws(CKLDataError) {
        guard (1...20_000).contains(people) else { throw .invalidConfiguration("people must be in 1...20000, not \(people)") }
        guard (1...12).contains(periods) else { throw .invalidConfiguration("periods must be in 1...12, not \(periods)") }
        guard changeFraction >= 0, changeFraction * Double(periods) <= 1 else {
            throw .invalidConfiguration("changeFraction × periods must lie in 0...1 (facts change at most once)")
        }
        guard (0...1).contains(newObjectShare) else { throw .invalidConfiguration("newObjectShare must be in 0...1") }
        guard (2...500).contains(knownObjectsPerType) else {
            throw .invalidConfiguration("knownObjectsPerType must be in 2...500, not \(knownObjectsPerType)")
        }
        guard (3...5000).contains(backgroundPeople) else {
            throw .invalidConfiguration("backgroundPeople must be in 3...5000, not \(backgroundPeople)")
        }
    }
}

/// A fact of the world at one point in time.
public struct TemporalFact: Hashable, Sendable {
    public let id: Int
    public let subject: String
    public let relation: RelationSchema
    public var object: String
}

/// A person's article: every fact of the person as of one snapshot, with distractors.
public struct TemporalArticle: Hashable, Sendable {
    public let subject: String
    /// 0 for the base snapshot, 1... for the periods.
    public let period: Int
    public let text: String
}

/// A cloze probe: the task sentence of a fact with its object's span (the tokens whose mean
/// NLL the protocol measures).
public struct TemporalProbe: Hashable, Sendable {
    public let factID: Int
    public let subject: String
    public let relationCode: String
    public let relationLabel: String
    public let object: String
    /// The object before this period's change (nil for unchanged facts).
    public let previousObject: String?
    public let sentence: String
    /// The object's last occurrence in `sentence`.
    public let objectSpan: ObjectSpan
    public var changed: Bool { previousObject != nil }
}

/// One period: the changed articles to train on, and the probes to measure after training.
public struct TemporalPeriod: Hashable, Sendable {
    public let index: Int
    /// Articles of the people with a fact that changed in this period, rewritten as of now.
    public let documents: [TemporalArticle]
    /// Facts whose object changed in this period (learning).
    public let changed: [TemporalProbe]
    /// Facts whose object never changed up to this period (retention).
    public let unchanged: [TemporalProbe]
}

/// A TemporalWiki-style benchmark: a base snapshot to pretrain on, then periods in which a
/// fraction of the time-variant facts change object.
public struct TemporalWikiBenchmark: Hashable, Sendable {
    public let name: String
    public let config: TemporalWikiConfig
    public let seed: UInt64
    /// Facts as of the base snapshot.
    public let baseFacts: [TemporalFact]
    /// Every person's article in the base snapshot (the pretraining corpus).
    public let baseDocuments: [TemporalArticle]
    public let periods: [TemporalPeriod]

    public static func generated(preset: String, seed: UInt64) throws(CKLDataError) -> TemporalWikiBenchmark {
        try generate(TemporalWikiConfig.preset(preset), seed: seed, preset: preset)
    }

    public static func generate(_ config: TemporalWikiConfig, seed: UInt64, preset: String? = nil)
        throws(CKLDataError) -> TemporalWikiBenchmark {
        try config.validate()
        var root = TaalmRNG(seed: seed)
        var nameRNG = root.split(), factRNG = root.split(), docRNG = root.split()
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

        var facts: [TemporalFact] = []
        var subjects: [String] = []
        for _ in 0..<config.people {
            let subject = try forge.make(rng: &nameRNG)
            subjects.append(subject)
            for r in RelationSchema.all {
                let pool = known[r.objectType] ?? []
                facts.append(TemporalFact(id: facts.count, subject: subject, relation: r,
                                          object: pool[factRNG.nextInt(below: pool.count)]))
            }
        }
        let baseFacts = facts

        func article(_ subject: String, period: Int, rng: inout TaalmRNG) -> TemporalArticle {
            var sentences: [String] = []
            for f in facts where f.subject == subject {
                let t = f.relation.evidenceTemplates[rng.nextInt(below: f.relation.evidenceTemplates.count)]
                sentences.append(renderer.render(t, subject: subject, object: f.object,
                                                 appositives: f.relation.appositives, rng: &rng))
            }
            sentences += renderer.distractors(2 + rng.nextInt(below: 2), rng: &rng)
            shuffle(&sentences, rng: &rng)
            return TemporalArticle(subject: subject, period: period, text: sentences.joined(separator: " "))
        }
        func probe(_ f: TemporalFact, previous: String?) -> TemporalProbe? {
            let sentence = f.relation.task(subject: f.subject, object: f.object)
            guard let span = Words.lastOccurrence(of: f.object, in: sentence) else { return nil }
            return TemporalProbe(factID: f.id, subject: f.subject, relationCode: f.relation.code,
                                 relationLabel: f.relation.label, object: f.object, previousObject: previous,
                                 sentence: sentence, objectSpan: span)
        }

        let baseDocuments = subjects.map { article($0, period: 0, rng: &docRNG) }
        var candidates = facts.indices.filter { !facts[$0].relation.invariant }
        shuffle(&candidates, rng: &factRNG)
        let perPeriod = Int((Double(candidates.count) * config.changeFraction).rounded())
        var everChanged = Set<Int>()
        var periods: [TemporalPeriod] = []
        for p in 1...config.periods {
            let take = min(perPeriod, candidates.count)
            let changing = Array(candidates.prefix(take)).sorted()
            candidates.removeFirst(take)
            var changedProbes: [TemporalProbe] = []
            for k in changing {
                let old = facts[k].object
                let type = facts[k].relation.objectType
                var new: String
                if factRNG.nextUnit() < config.newObjectShare {
                    new = try forge.make(rng: &nameRNG)
                    known[type, default: []].append(new)
                } else {
                    let others = (known[type] ?? []).filter { $0 != old }
                    new = others.isEmpty ? try forge.make(rng: &nameRNG) : others[factRNG.nextInt(below: others.count)]
                }
                facts[k].object = new
                everChanged.insert(k)
                if let pr = probe(facts[k], previous: old) { changedProbes.append(pr) }
            }
            var changedSubjects: [String] = []
            for k in changing where !changedSubjects.contains(facts[k].subject) { changedSubjects.append(facts[k].subject) }
            let order = Dictionary(subjects.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            changedSubjects.sort { (order[$0] ?? 0) < (order[$1] ?? 0) }
            let docs = changedSubjects.map { article($0, period: p, rng: &docRNG) }
            let unchanged = facts.filter { !everChanged.contains($0.id) }.compactMap { probe($0, previous: nil) }
            periods.append(TemporalPeriod(index: p, documents: docs, changed: changedProbes, unchanged: unchanged))
        }
        let presetText = preset.map { "preset \($0), " } ?? ""
        return TemporalWikiBenchmark(name: "TemporalWiki world (generated, \(presetText)seed \(seed))",
                                     config: config, seed: seed, baseFacts: baseFacts,
                                     baseDocuments: baseDocuments, periods: periods)
    }
}

extension TemporalWikiBenchmark: CustomStringConvertible {
    public var description: String {
        let variant = baseFacts.filter { !$0.relation.invariant }.count
        var lines = [name,
                     "  base snapshot: \(config.people) people, \(baseFacts.count) facts (\(variant) time-variant), \(baseDocuments.count) articles"]
        lines.append("  period  articles  changed  unchanged")
        for p in periods {
            lines.append("  " + [String(p.index).leftPad(6), String(p.documents.count).leftPad(8),
                                 String(p.changed.count).leftPad(7), String(p.unchanged.count).leftPad(9)].joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

extension TemporalProbe: CustomStringConvertible {
    public var description: String {
        let marked = CKLUnit.marking([objectSpan], in: sentence)
        return previousObject.map { "\(marked)   (was \($0))" } ?? marked
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
