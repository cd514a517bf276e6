import Testing
@testable import CKL

/// TemporalWiki META examples: counterfactual changes outside the measured facts.
@Suite struct TemporalMetaTests {
    @Test func examplesChangeFactsThePeriodsNeverChange() throws {
        let world = try TemporalWikiBenchmark.generated(preset: "tiny", seed: 4)
        let examples = world.metaExamples(count: 50, seed: 1)
        #expect(examples.count == 50)
        let changed = Set(world.periods.flatMap { $0.changed.map { $0.subject + "|" + $0.relationCode } })
        let base = Dictionary(world.baseDocuments.map { ($0.subject, $0.text) }, uniquingKeysWith: { a, _ in a })
        let vocabulary = Set(world.allTexts.flatMap { Words.split($0) })
        var pairs = Set<String>()
        for e in examples {
            #expect(!changed.contains(e.subject + "|" + e.relationCode), "\(e.subject)'s \(e.relationCode) changes in a period")
            #expect(pairs.insert(e.subject + "|" + e.relationCode).inserted, "one example per person and relation")
            let article = try #require(base[e.subject])
            #expect(e.object != e.previousObject)
            #expect(!Words.occurrences(of: e.previousObject, in: article).isEmpty)
            #expect(Words.occurrences(of: e.previousObject, in: e.document).isEmpty, "every old mention replaced")
            #expect(Words.occurrences(of: e.object, in: e.document).count == Words.occurrences(of: e.previousObject, in: article).count)
            #expect(e.task.hasPrefix(e.subject + " ") && e.task.hasSuffix(" " + e.object + " ."))
            #expect(Words.split(e.document + " " + e.task).allSatisfy(vocabulary.contains), "no word outside the world's vocabulary")
            let relation = try #require(RelationSchema.all.first { $0.code == e.relationCode })
            #expect(!relation.invariant)
        }
        #expect(world.metaExamples(count: 50, seed: 1) == examples, "deterministic with a seed")
        #expect(world.metaExamples(count: 50, seed: 2) != examples)
        #expect(world.metaExamples(count: 0, seed: 1).isEmpty)
        // At most one per unchanged variant fact.
        let variant = world.baseFacts.filter { !$0.relation.invariant }.count
        #expect(world.metaExamples(count: 100_000, seed: 1).count <= variant - changed.count)
    }
}
