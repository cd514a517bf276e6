import TensorCore

/// A generated evidence document with its masked twin (the main-fact mention of the object
/// replaced by `[MASK]`, as in the released data).
struct GeneratedEvidence: Hashable, Sendable {
    var text: String
    var masked: String
}

/// Writes evidence documents the way the reference study's world did: one main-fact sentence
/// from the relation's templates, the object mentioned again with probability
/// `objectMentionProbability`, `distractors` sentences of filler, all shuffled.
struct EvidenceWriter {
    let renderer: TemplateRenderer
    var objectMentionProbability = 0.5
    var distractorRange: ClosedRange<Int> = 2...3

    private static let placeholder = "@OBJECT@"

    func document(subject: String, relation: RelationSchema, object: String,
                  rng: inout TaalmRNG) -> GeneratedEvidence {
        let template = relation.evidenceTemplates[rng.nextInt(below: relation.evidenceTemplates.count)]
        let main = renderer.render(template, subject: subject, object: Self.placeholder,
                                   appositives: relation.appositives, rng: &rng)
        var sentences: [(text: String, isMain: Bool)] = [(main, true)]
        if rng.nextUnit() < objectMentionProbability {
            let mentions = relation.objectType.mentionTemplates
            let m = mentions[rng.nextInt(below: mentions.count)]
            sentences.append((renderer.render(m, object: object, rng: &rng), false))
        }
        let span = distractorRange.upperBound - distractorRange.lowerBound + 1
        let count = distractorRange.lowerBound + rng.nextInt(below: span)
        for d in renderer.distractors(count, rng: &rng) { sentences.append((d, false)) }
        shuffle(&sentences, rng: &rng)
        let text = sentences.map { $0.isMain ? $0.text.replacingAll(Self.placeholder, with: object) : $0.text }
        let masked = sentences.map {
            $0.isMain ? $0.text.replacingAll(Self.placeholder, with: CKLUnit.maskToken) : $0.text
        }
        return GeneratedEvidence(text: text.joined(separator: " "), masked: masked.joined(separator: " "))
    }
}

/// Fisher–Yates with the project's RNG (deterministic across platforms).
func shuffle<T>(_ a: inout [T], rng: inout TaalmRNG) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
        let j = rng.nextInt(below: i + 1)
        if i != j { a.swapAt(i, j) }
    }
}
