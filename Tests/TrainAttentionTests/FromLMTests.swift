import Testing
import NN
import TensorCore
@testable import TrainAttention

/// φ initialised from a language model: the body copied, the context one longer.
@Suite struct FromLMTests {
    @Test(arguments: [PositionKind.rotary, .learned])
    func copiesTheBodyAndWeightsAFullContextRow(_ positions: PositionKind) throws {
        let lm = try LanguageModel(config: TransformerConfig(vocabSize: FactWorld.vocab, dModel: 16, layers: 1, heads: 2, context: 8,
                                                             positions: positions), seed: 3)
        let ta = try TrainAttentionModel(initialisedFrom: lm, seed: 1)
        #expect(ta.config.context == lm.config.context + 1)
        var copied = 0
        for (path, t) in lm.params.entries where path != "pos.weight" {
            guard let copy = ta.params["ta." + path] else { continue }
            #expect(copy.scalars == t.scalars, "\(path) copied")
            copied += 1
        }
        // Every parameter of φ but the head (and a learned position table, checked below) comes from the model.
        #expect(copied == ta.params.count - 2 - (positions == .learned ? 1 : 0))
        if positions == .learned {
            let table = try #require(ta.params["ta.pos.weight"])
            let source = try #require(lm.params["pos.weight"])
            #expect(table.shape == [9, 16])
            #expect(Array(table.scalars.prefix(8 * 16)) == source.scalars, "the model's positions fill the first rows")
        }
        #expect(ta.params["ta.head.b"]?.scalars == [TrainAttentionModel.initialHeadBias])
        // A row that fills the model's context: 8 inputs and 8 targets, 9 tokens for φ.
        let batch = try TokenBatch(sequences: [Array(repeating: 7, count: 9)], padId: 0, maxLength: 8)
        #expect(batch.length == 8)
        let w = try ta.weights(batch: batch)
        #expect(w.shape == [1, 8])
    }
}
