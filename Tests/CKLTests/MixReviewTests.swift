import Testing
@testable import CKL

@Suite struct MixReviewTests {
    static func rows(_ n: Int, first: Int) -> [TrainingExample] {
        (0..<n).map { TrainingExample(ids: [1, first + $0, 2], targetIsObject: [false, false]) }
    }

    @Test func rehearsalCountFollowsRatioAndDecay() {
        let m = MixReviewConfig(ratio: 0.5, decay: 0.5)
        #expect(m.rehearsalCount(rows: 16, epoch: 1) == 8)
        #expect(m.rehearsalCount(rows: 16, epoch: 2) == 4)
        #expect(m.rehearsalCount(rows: 16, epoch: 3) == 2)
        #expect(MixReviewConfig(ratio: 1).rehearsalCount(rows: 5, epoch: 9) == 5)
        #expect(throws: CKLError.self) { try MixReviewConfig(ratio: -1).validate() }
        #expect(throws: CKLError.self) { try MixReviewConfig(decay: 0).validate() }
    }

    @Test func batchesHoldPretrainingDocumentsAtTheRatio() {
        let new = Self.rows(10, first: 100), old = Self.rows(7, first: 1000)
        var plan = EpochBatches(rows: new, batchSize: 4, mixReview: MixReviewConfig(ratio: 0.5, seed: 3), rehearsalRows: old, seed: 1)
        var seenOld: [Int] = []
        for epoch in 1...2 {
            let batches = plan.epoch(epoch)
            #expect(batches.count == 3)
            var seenNew: [Int] = []
            for b in batches {
                let n = b.filter { $0.ids[1] < 1000 }, o = b.filter { $0.ids[1] >= 1000 }
                #expect(o.count == Int((Double(n.count) * 0.5).rounded()))
                #expect(Array(b.prefix(n.count)) == n, "new rows first, then the rehearsal rows")
                seenNew += n.map { $0.ids[1] }
                seenOld += o.map { $0.ids[1] }
            }
            #expect(seenNew.sorted() == Array(100..<110), "every new row once per epoch")
        }
        // The rehearsal stream goes through the whole corpus before repeating a document.
        #expect(Set(seenOld.prefix(7)) == Set(1000..<1007))
        // Seeded: the same plan again gives the same batches.
        var a = EpochBatches(rows: new, batchSize: 4, mixReview: MixReviewConfig(ratio: 0.5, seed: 3), rehearsalRows: old, seed: 1)
        var b = EpochBatches(rows: new, batchSize: 4, mixReview: MixReviewConfig(ratio: 0.5, seed: 3), rehearsalRows: old, seed: 1)
        #expect(a.epoch(1) == b.epoch(1))
    }

    @Test func withoutMixReviewBatchesHoldOnlyNewDocuments() {
        var plan = EpochBatches(rows: Self.rows(5, first: 0), batchSize: 2, mixReview: nil, rehearsalRows: Self.rows(5, first: 1000), seed: 0)
        let b = plan.epoch(1)
        #expect(b.map(\.count) == [2, 2, 1])
        #expect(b.joined().allSatisfy { $0.ids[1] < 1000 })
    }

    @Test func rehearsalDocumentsMarkTheirOwnFactsObject() throws {
        let d = ProtocolFixtures.data
        #expect(d.rehearsal.count == ProtocolFixtures.world.pretrainingCorpus.count)
        // Evidence and task documents of pretraining facts carry object marks.
        #expect(d.rehearsal.filter { $0.objectTokenCount > 0 }.count == d.rehearsal.count)
    }
}
