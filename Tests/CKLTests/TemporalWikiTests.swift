import Testing
@testable import CKL

@Suite struct TemporalWikiTests {
    static let world: TemporalWikiBenchmark = {
        do { return try TemporalWikiBenchmark.generated(preset: "tiny", seed: 5) } catch { fatalError("\(error)") }
    }()

    @Test func deterministicPerSeed() throws {
        #expect(try TemporalWikiBenchmark.generated(preset: "tiny", seed: 5) == Self.world)
        let other = try TemporalWikiBenchmark.generated(preset: "tiny", seed: 6)
        #expect(other.baseDocuments.map(\.text) != Self.world.baseDocuments.map(\.text))
    }

    @Test func changeFractionPerPeriod() {
        let w = Self.world
        let variant = w.baseFacts.filter { !$0.relation.invariant }.count
        let expected = Int((Double(variant) * w.config.changeFraction).rounded())
        #expect(w.periods.count == 3)
        var seen = Set<Int>()
        for p in w.periods {
            #expect(p.changed.count == expected)
            #expect(p.changed.allSatisfy { $0.changed && $0.previousObject != $0.object })
            let ids = Set(p.changed.map(\.factID))
            #expect(ids.isDisjoint(with: seen), "a fact changes at most once")
            seen.formUnion(ids)
            #expect(p.changed.allSatisfy { !(RelationSchema.named($0.relationCode)?.invariant ?? true) })
            #expect(p.unchanged.count == w.baseFacts.count - seen.count)
        }
    }

    @Test func unchangedProbesKeepTheirObject() {
        let w = Self.world
        let base = Dictionary(uniqueKeysWithValues: w.baseFacts.map { ($0.id, $0.object) })
        for p in w.periods {
            for u in p.unchanged {
                #expect(!u.changed)
                #expect(u.object == base[u.factID])
            }
        }
    }

    @Test func periodDocumentsAreTheChangedArticles() {
        let w = Self.world
        var previous = Dictionary(uniqueKeysWithValues: w.baseFacts.map { ($0.id, $0.object) })
        for p in w.periods {
            #expect(Set(p.documents.map(\.subject)) == Set(p.changed.map(\.subject)))
            #expect(p.documents.allSatisfy { $0.period == p.index })
            let bySubject = Dictionary(uniqueKeysWithValues: p.documents.map { ($0.subject, $0.text) })
            for c in p.changed {
                #expect(c.previousObject == previous[c.factID])
                let text = bySubject[c.subject] ?? ""
                #expect(!Words.occurrences(of: c.object, in: text).isEmpty, "new object stated in the article")
                #expect(Words.split(c.sentence)[c.objectSpan.words].joined(separator: " ") == c.object)
                previous[c.factID] = c.object
            }
        }
        #expect(w.baseDocuments.count == w.config.people)
    }

    @Test func invalidConfigurationsAreErrors() {
        var c = TemporalWikiConfig.tiny
        c.changeFraction = 0.5  // × 3 periods > 1
        #expect(throws: CKLDataError.self) { try TemporalWikiBenchmark.generate(c, seed: 1) }
        #expect(throws: CKLDataError.self) { try TemporalWikiBenchmark.generated(preset: "nope", seed: 1) }
    }

    @Test func printsASummary() {
        let text = Self.world.description
        #expect(text.contains("period  articles  changed  unchanged"))
        print(text)
        print(Self.world.periods[0].changed[0])
    }
}
