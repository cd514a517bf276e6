import Testing
import NN
import TensorCore
@testable import TrainAttention

/// TAALM's weighting caches each document's weights: the cached values must be exactly
/// what φ gives for that document in any batch, and a change of φ must drop them.
@Suite struct WeightingCacheTests {
    static func real(_ w: Tensor, _ batch: TokenBatch) -> [[Float]] {
        let t = batch.length, s = w.scalars
        return (0..<batch.batchSize).map { r in Array(s[(r * t)..<(r * t + batch.lengths[r])]) }
    }

    @Test func cachedWeightsMatchPhiAcrossBatchesAndResetWhenPhiChanges() throws {
        let lm = FactWorld.model(seed: 1), ta = FactWorld.ta(seed: 2)
        var docs = FactWorld.examples(count: 4, seed: 3).map(\.document)
        docs[1].removeLast(4)
        docs[3].removeLast(2)
        let weighting = TrainAttentionWeighting(ta)
        let first = try TokenBatch(sequences: [docs[0], docs[1], docs[2]], padId: 0, maxLength: 12)
        let got1 = try weighting.weights(DocumentBatch(batch: first), model: lm, params: lm.params)
        #expect(Self.real(got1, first) == Self.real(try ta.weights(batch: first), first))
        #expect(got1.scalars[1 * 12 + first.lengths[1]] == 0)   // padding is 0
        #expect(weighting.cachedDocuments == 3)

        // Another order, a repeat and a new document: cached rows still equal φ's.
        let second = try TokenBatch(sequences: [docs[3], docs[1], docs[3], docs[0]], padId: 0, maxLength: 15)
        let got2 = try weighting.weights(DocumentBatch(batch: second), model: lm, params: lm.params)
        #expect(Self.real(got2, second) == Self.real(try ta.weights(batch: second), second))
        #expect(weighting.cachedDocuments == 4)

        // New parameters for φ: the old weights must not be served.
        ta.params["ta.head.b"] = try Tensor([-1])
        let got3 = try weighting.weights(DocumentBatch(batch: first), model: lm, params: lm.params)
        let direct3 = try ta.weights(batch: first)
        #expect(Self.real(got3, first) == Self.real(direct3, first))
        #expect(Self.real(got3, first) != Self.real(got1, first))
        #expect(weighting.cachedDocuments == 3)
    }
}
