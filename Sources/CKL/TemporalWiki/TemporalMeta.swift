import TensorCore

/// A META example for Train-Attention in a TemporalWiki world: a counterfactual change of
/// one fact, shown in its person's article, and the task sentence that asks for it.
public struct TemporalMetaExample: Hashable, Sendable {
    public let subject: String
    public let relationCode: String
    /// The person's base article with every occurrence of `previousObject` replaced by `object`.
    public let document: String
    /// The fact's task sentence with the new object ("S works for O .").
    public let task: String
    public let object: String
    public let previousObject: String
}

extension TemporalWikiBenchmark {
    /// META examples for meta-training Train-Attention on this world without touching what
    /// the protocol measures as learning: counterfactual changes of time-variant facts that
    /// no period changes. Each example takes the person's base article (the snapshot the
    /// base model learnt), moves the fact to another object of the same relation from the
    /// base snapshot (every occurrence of the old object in the article replaced), and asks
    /// that fact's task sentence with the new object — a period's change in miniature. Only
    /// φ trains on them (θ restarts for every example), so the base model never sees these
    /// counterfactuals; their real facts stay UNCHANGED probes. The new objects
    /// are names the world already has, so every word is in the world's vocabulary (the
    /// periods also bring fresh names; these examples do not). At most one example per
    /// (person, relation); `count` caps the number, the seed picks them.
    public func metaExamples(count: Int, seed: UInt64) -> [TemporalMetaExample] {
        let changedFacts = Set(periods.flatMap { $0.changed.map(\.factID) })
        let articles = Dictionary(baseDocuments.map { ($0.subject, $0.text) }, uniquingKeysWith: { a, _ in a })
        var pool: [String: [String]] = [:]
        for f in baseFacts where !(pool[f.relation.code]?.contains(f.object) ?? false) { pool[f.relation.code, default: []].append(f.object) }
        var candidates = baseFacts.filter { !$0.relation.invariant && !changedFacts.contains($0.id) && articles[$0.subject] != nil }
        var rng = TaalmRNG(seed: seed)
        shuffle(&candidates, rng: &rng)
        var out: [TemporalMetaExample] = []
        for f in candidates where out.count < max(count, 0) {
            guard let article = articles[f.subject] else { continue }
            let spans = Words.occurrences(of: f.object, in: article)
            guard !spans.isEmpty else { continue }
            // A new object that the article does not mention yet.
            let options = (pool[f.relation.code] ?? []).filter { $0 != f.object && Words.occurrences(of: $0, in: article).isEmpty }
            guard !options.isEmpty else { continue }
            let new = options[rng.nextInt(below: options.count)]
            var bytes = Array(article.utf8)
            for s in spans.reversed() { bytes.replaceSubrange(s.utf8, with: Array(new.utf8)) }
            out.append(TemporalMetaExample(subject: f.subject, relationCode: f.relation.code, document: String(decoding: bytes, as: UTF8.self),
                                           task: f.relation.task(subject: f.subject, object: new), object: new, previousObject: f.object))
        }
        return out
    }
}
