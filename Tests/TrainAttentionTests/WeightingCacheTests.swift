import Testing
import NN
import TensorCore
@testable import TrainAttention

/// TAALM's and RHO-1's per-document caches: the cached values must be exactly what the
/// uncached computation gives for that document in any batch, and a change of the
/// parameters they read must drop them.
@Suite struct WeightingCacheTests {
    static func real(_ w: Tensor, _ batch: TokenBatch) -> [[Float]] {
        let t = batch.length, s = w.scalars
        return (0..<batch.batchSize).map { r in Array(s[(r * t)..<(r * t + batch.lengths[r])]) }
    }

    static func documents() -> [[Int]] {
        var docs = FactWorld.examples(count: 5, seed: 3).map(\.document)
        docs[1].removeLast(4)
        docs[3].removeLast(2)
        docs[4].removeLast(6)
        return docs
    }

    @Test func cachedWeightsMatchPhiAcrossBatchesAndResetWhenPhiChanges() throws {
        let lm = FactWorld.model(seed: 1), ta = FactWorld.ta(seed: 2)
        let docs = Self.documents()
        let weighting = TrainAttentionWeighting(ta)
        let first = try TokenBatch(sequences: [docs[0], docs[1], docs[2]], padId: 0, maxLength: 12)
        let got1 = try weighting.weights(DocumentBatch(batch: first), model: lm, params: lm.params)
        #expect(Self.real(got1, first) == Self.real(try ta.weights(batch: first), first))
        #expect(got1.scalars[1 * first.length + first.lengths[1]] == 0)   // padding is 0
        #expect(weighting.cachedDocuments == 3)

        // Another order, a repeat, and unseen documents all shorter than the batch (the
        // unseen ones are computed as a narrower batch: their rows must still line up).
        let second = try TokenBatch(sequences: [docs[3], docs[0], docs[4], docs[3]], padId: 0, maxLength: 12)
        #expect(second.length > docs[3].count - 1 && second.length > docs[4].count - 1)
        let got2 = try weighting.weights(DocumentBatch(batch: second), model: lm, params: lm.params)
        #expect(Self.real(got2, second) == Self.real(try ta.weights(batch: second), second))
        #expect(weighting.cachedDocuments == 5)

        // New parameters for φ: the old weights must not be served.
        ta.params["ta.head.b"] = Tensor([-1])
        let got3 = try weighting.weights(DocumentBatch(batch: first), model: lm, params: lm.params)
        #expect(Self.real(got3, first) == Self.real(try ta.weights(batch: first), first))
        #expect(Self.real(got3, first) != Self.real(got1, first))
        #expect(weighting.cachedDocuments == 3)
    }

    @Test func rho1ReferenceLossesAreCachedOnlyWhenTheReferenceCoversEveryParameter() throws {
        let lm = FactWorld.model(seed: 4)
        let docs = Self.documents()
        let rho = try Rho1Weighting(reference: lm.params)
        let first = try TokenBatch(sequences: [docs[0], docs[2]], padId: 0, maxLength: 12)
        let second = try TokenBatch(sequences: [docs[4], docs[0], docs[1]], padId: 0, maxLength: 12)
        for batch in [first, second] {
            let cached = try rho.referenceLosses(batch, model: lm, params: lm.params)
            let direct = try lm.tokenLosses(params: lm.params, batch: batch)
            #expect(Self.real(try Tensor(shape: [batch.batchSize, batch.length], values: cached), batch) == Self.real(direct, batch))
        }
        // A parameter the reference lacks (as a LoRA factor would be) stays current, so
        // nothing is cached: the losses follow that parameter from call to call.
        let path = try #require(lm.params.paths.last)
        let partial = try Rho1Weighting(reference: lm.params.filter { $0 != path })
        var moved = lm.params
        moved[path] = try add(try #require(lm.params[path]), 0.5)
        let before = try partial.referenceLosses(second, model: lm, params: lm.params)
        let after = try partial.referenceLosses(second, model: lm, params: moved)
        #expect(before != after)
        #expect(Self.real(try Tensor(shape: [second.batchSize, second.length], values: after), second)
                == Self.real(try lm.tokenLosses(params: moved, batch: second), second))
    }
}
