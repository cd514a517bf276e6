import Testing
@testable import CKL

@Suite struct GeneratorTests {
    @Test func sameSeedGivesIdenticalWorld() throws {
        let a = try LamaCKLBenchmark.generated(preset: "tiny", seed: 7)
        let b = try LamaCKLBenchmark.generated(preset: "tiny", seed: 7)
        #expect(a == b)
        #expect(UnitsJSONL.encode(a.allUnits) == UnitsJSONL.encode(b.allUnits))
    }

    @Test func differentSeedGivesDifferentWorld() throws {
        let a = try LamaCKLBenchmark.generated(preset: "tiny", seed: 7)
        let b = try LamaCKLBenchmark.generated(preset: "tiny", seed: 8)
        #expect(a.toLearn.map(\.subject) != b.toLearn.map(\.subject))
        #expect(a.notToForget.map(\.evidence) != b.notToForget.map(\.evidence))
        #expect(Set(a.allUnits.map(\.uuid)).isDisjoint(with: b.allUnits.map(\.uuid)))
    }

    @Test(arguments: [("tiny", 40, 40, 160, 80), ("small", 150, 150, 300, 300), ("paper", 500, 500, 1000, 1000)])
    func presetSizes(preset: String, nf: Int, tl: Int, meta: Int, skill: Int) throws {
        let b = try LamaCKLBenchmark.generated(preset: preset, seed: 1)
        #expect(b.notToForget.count == nf)
        #expect(b.toLearn.count == tl)
        #expect(b.meta.count == meta)
        #expect(b.skill.count == skill)
        // Evidence + 2 extra evidence + task per pretraining fact.
        #expect(b.pretrainingCorpus.count == (nf + skill) * 4)
    }

    @Test func unknownPresetAndBadSizesAreErrors() {
        #expect(throws: CKLDataError.invalidConfiguration(
            "unknown preset \"huge\" (expected one of: tiny, small, paper)")) {
            try LamaCKLBenchmark.generated(preset: "huge", seed: 1)
        }
        var c = LamaWorldConfig.tiny
        c.toLearn = -1
        #expect(throws: CKLDataError.self) { try LamaCKLBenchmark.generated(c, seed: 1) }
        c = .tiny
        c.distractorsPerDocument = 0...99
        #expect(throws: CKLDataError.self) { try LamaCKLBenchmark.generated(c, seed: 1) }
    }

    @Test func relationsAreBalancedAndTyped() throws {
        let b = try LamaCKLBenchmark.generated(preset: "tiny", seed: 3)
        #expect(b.notToForget.allSatisfy { $0.invariant })
        #expect(b.toLearn.allSatisfy { !$0.invariant })
        #expect(b.meta.allSatisfy { !$0.invariant })
        #expect(Set(b.skill.map(\.relationCode)).count == 6)
        #expect(Set(b.notToForget.map(\.relationCode)) == Set(RelationSchema.invariantRelations.map(\.code)))
        #expect(Set(b.toLearn.map(\.relationCode)) == Set(RelationSchema.variantRelations.map(\.code)))
    }

    @Test func descriptionsAreReadable() throws {
        let b = try LamaCKLBenchmark.generated(preset: "tiny", seed: 7)
        let summary = b.description
        for name in ["NOT-TO-FORGET", "TO-LEARN", "META", "skill", "object words", "pretraining corpus: 480 documents"] {
            #expect(summary.contains(name), "\(name)")
        }
        let u = b.toLearn[0]
        let text = u.description
        #expect(text.contains("subject   \(u.subject)"))
        #expect(text.contains("object    \(u.object)"))
        #expect(text.contains("task      \(u.subject) "))
        #expect(text.contains("⟦\(u.object)⟧ ."))
        #expect(text.contains("variant"))
        print(summary)
        print(u)
    }
}
