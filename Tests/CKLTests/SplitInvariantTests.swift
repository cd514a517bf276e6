import Testing
@testable import CKL
import TensorCore

/// Word-sequence search: does `needle` occur as consecutive whole words of `hay`?
func containsWords(_ hay: [String], _ needle: [String]) -> Bool {
    guard !needle.isEmpty, needle.count <= hay.count else { return false }
    for k in 0...(hay.count - needle.count) where Array(hay[k..<(k + needle.count)]) == needle { return true }
    return false
}

@Suite struct SplitInvariantTests {
    static let world: LamaCKLBenchmark = {
        do { return try LamaCKLBenchmark.generated(preset: "tiny", seed: 11) } catch { fatalError("\(error)") }
    }()

    @Test func toLearnAndMetaEntitiesAreDisjoint() {
        let w = Self.world
        let tlEntities = Set(w.toLearn.flatMap { [$0.subject, $0.object] })
        let metaEntities = Set(w.meta.flatMap { [$0.subject, $0.object] })
        #expect(tlEntities.isDisjoint(with: metaEntities))
        #expect(Set(w.toLearn.map(\.subject)).count == w.toLearn.count, "TO-LEARN subjects are new people")
        #expect(Set(w.toLearn.map(\.object)).count == w.toLearn.count, "TO-LEARN objects are new names")
        let pretrainSubjects = Set((w.notToForget + w.skill).map(\.subject))
        #expect(pretrainSubjects.isDisjoint(with: tlEntities))
        #expect(pretrainSubjects.isDisjoint(with: metaEntities))
    }

    @Test func toLearnAndMetaNamesNeverAppearInPretraining() {
        let w = Self.world
        let corpus = w.pretrainingCorpus.map { Words.split($0.text) }
        for u in w.toLearn + w.meta {
            for name in [u.object, u.subject] {
                let needle = Words.split(name)
                #expect(!corpus.contains { containsWords($0, needle) }, "\(name) leaks into pretraining")
            }
        }
    }

    @Test func notToForgetFactsArePretrained() {
        let w = Self.world
        let tasks = Set(w.pretrainingCorpus.filter { $0.kind == .task }.map(\.text))
        let byUnit = Dictionary(grouping: w.pretrainingCorpus, by: \.unit)
        for u in w.notToForget + w.skill {
            #expect(tasks.contains(u.taskDescriptive))
            let docs = byUnit[u.uuid] ?? []
            #expect(docs.filter { $0.kind == .evidence }.map(\.text) == [u.evidence])
            #expect(docs.filter { $0.kind == .extraEvidence }.count == 2)
            for d in docs {
                #expect(containsWords(Words.split(d.text), Words.split(u.subject)))
                #expect(containsWords(Words.split(d.text), Words.split(u.object)))
            }
        }
    }

    @Test func evidenceContainsItsObjectAndSpansAreRight() {
        for u in Self.world.allUnits {
            let words = u.evidenceWords
            #expect(!u.evidenceObjectSpans.isEmpty)
            for s in u.evidenceObjectSpans {
                #expect(s.isWordAligned)
                #expect(words[s.words].joined(separator: " ") == u.object)
                let chars = Array(u.evidence.unicodeScalars)[s.characters]
                #expect(String(String.UnicodeScalarView(chars)) == u.object)
            }
            // Task: "S <phrase> O ." — the object is the last words before the final " .".
            let t = u.taskObjectSpan
            let taskWords = u.taskWords
            #expect(Array(taskWords[t.words]) == Words.split(u.object))
            #expect(t.words.upperBound == taskWords.count - 1)
            #expect(taskWords.last == ".")
            #expect(u.taskDescriptive.hasPrefix(u.subject + " "))
            // The masked evidence hides one occurrence, the main fact's.
            #expect(u.maskedEvidence.replacingAll(CKLUnit.maskToken, with: u.object) == u.evidence)
        }
    }

    @Test func objectFractionIsInBand() {
        let stats = Self.world.statistics
        for s in stats.splits {
            #expect(s.objectWordFraction > 0.04 && s.objectWordFraction < 0.10, "\(s.name): \(s.objectWordFraction)")
            #expect(s.meanEvidenceWords > 45 && s.meanEvidenceWords < 65, "\(s.name): \(s.meanEvidenceWords)")
            #expect(s.meanObjectMentions > 1.2 && s.meanObjectMentions < 2.0)
        }
    }

    @Test func syllablesNeverCollideWithTemplateWords() {
        var templateWords = Set<String>()
        for r in RelationSchema.all {
            for t in r.evidenceTemplates + r.appositives + [r.taskTemplate] + r.objectType.mentionTemplates {
                templateWords.formUnion(Words.split(t))
            }
        }
        for t in Distractors.templates { templateWords.formUnion(Words.split(t)) }
        templateWords.formUnion(Distractors.months + Distractors.hobbies)
        let lowered = Set(templateWords.map { $0.lowercased() })
        #expect(lowered.isDisjoint(with: NameForge.syllables))
        #expect(NameForge.syllables.count >= 65 && NameForge.syllables.count <= 75)
    }

    @Test func namesArePrefixFree() throws {
        var forge = NameForge()
        var rng = TaalmRNG(seed: 5)
        var names: [[String]] = []
        for _ in 0..<3000 { names.append(Words.split(try forge.make(rng: &rng))) }
        let full = Set(names.map { $0.joined(separator: " ") })
        #expect(full.count == names.count)
        for n in names where n.count == 3 {
            #expect(!full.contains(n[0..<2].joined(separator: " ")))
        }
    }

    @Test func evidenceReadsLikeTheStudy() {
        // Each relation's four templates: three contain "S <phrase>", one interrupts it.
        for r in RelationSchema.all {
            let direct = r.evidenceTemplates.filter { $0.contains("{S} \(r.phrase) {O}") }
            let interrupted = r.evidenceTemplates.filter { $0.contains("{S} , {APPOS} , \(r.phrase) {O}") }
            #expect(direct.count == 3 && interrupted.count == 1, "\(r.key)")
        }
        // Generated documents use several templates and 3–5 sentences.
        let docs = Self.world.notToForget.map(\.evidence)
        let sentences = docs.map { $0.split(separator: " ").filter { $0 == "." }.count }
        #expect(sentences.allSatisfy { (3...5).contains($0) })
        #expect(Set(sentences).count >= 2)
    }
}
