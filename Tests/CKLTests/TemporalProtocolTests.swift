import Testing
@testable import CKL

@Suite struct TemporalProtocolTests {
    static let world: TemporalWikiBenchmark = {
        do {
            return try TemporalWikiBenchmark.generate(TemporalWikiConfig(people: 10, periods: 2, changeFraction: 0.3,
                                                                         knownObjectsPerType: 3, backgroundPeople: 4), seed: 2)
        } catch { fatalError("\(error)") }
    }()

    static let base: PretrainResult = {
        var c = PretrainConfig(dim: 32, layers: 1, heads: 2)
        c.lr = 3e-3
        c.warmupSteps = 5
        c.target = 0.6
        c.extraEpochs = 0
        c.maxEpochs = 80
        do { return try world.pretrain(c, shouldStop: { false }) } catch { fatalError("\(error)") }
    }()

    @Test func oracleMarksOnlyTheChangedObjects() throws {
        let enc = UnitEncoder(tokenizer: try Self.world.makeTokenizer())
        let p = Self.world.periods[0]
        let docs = try TemporalWikiProtocol.documents(p, enc)
        #expect(docs.count == p.documents.count)
        for (a, d) in zip(p.documents, docs) {
            let objects = p.changed.filter { $0.subject == a.subject }.map(\.object)
            #expect(!objects.isEmpty)
            let expected = objects.map { o in Words.occurrences(of: o, in: a.text).count * Words.split(o).count }.reduce(0, +)
            #expect(d.objectTokenCount == expected)
        }
    }

    @Test func periodsRunInSequenceAndReportChangedAndUnchanged() throws {
        var c = CKLRunConfig(epochs: 4, batchSize: 4, lr: 3e-3, warmupSteps: 2)
        c.evalBatchSize = 32
        var seen: [Int] = []
        let r = try TemporalWikiProtocol.run(base: Self.base.model, benchmark: Self.world, method: CKLMethod.named("oracle"), config: c,
                                             progress: { seen.append($0.period) }, shouldStop: { false })
        #expect(seen == [0, 1, 2])
        #expect(r.periods.map(\.period) == [0, 1, 2])
        #expect(r.periods[0].trainLoss == nil && r.periods[1].documents == Self.world.periods[0].documents.count)
        #expect(r.periods.allSatisfy { $0.changedNLL.isFinite && $0.unchangedNLL.isFinite })
        #expect(r.periods[1].averageNLL == (r.periods[1].changedNLL + r.periods[1].unchangedNLL) / 2)
        // Training on period 1's articles makes its changed facts more likely than before.
        #expect(r.periods[1].changedNLL < r.periods[0].changedNLL)
        #expect(r.meanAverageNLL == (r.periods[1].averageNLL + r.periods[2].averageNLL) / 2)
        #expect(r.toCSV().split(separator: "\n").count == 4)
        #expect(r.toJSON().contains("\"mean_changed_nll\": "))
    }
}
