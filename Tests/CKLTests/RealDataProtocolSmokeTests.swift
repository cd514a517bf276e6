import Foundation
import Testing
@testable import CKL

/// A smoke run of the protocol on a few released LAMA-ckl units (BPE tokens), when
/// `TAALM_LAMA_CKL` names the folder holding them.
@Suite struct RealDataProtocolSmokeTests {
    @Test(.enabled(if: RealDataSmokeTests.available, "TAALM_LAMA_CKL is not set (the folder with the released LAMA-ckl units)"))
    func protocolRunsOnAFewRealUnits() throws {
        let full = try LamaCKLBenchmark.load(folder: try #require(RealDataSmokeTests.folder))
        let nf = Array(full.notToForget.prefix(6)), tl = Array(full.toLearn.prefix(6))
        let corpus = full.pretrainingCorpus.filter { d in nf.contains { $0.uuid == d.unit } }
        let small = LamaCKLBenchmark(name: "real smoke", origin: full.origin, notToForget: nf, toLearn: tl, meta: [], skill: [],
                                     pretrainingCorpus: corpus)
        var pc = PretrainConfig(dim: 32, layers: 1, heads: 2)
        pc.tokenizer = .bpe(vocabSize: 300)
        pc.context = 128
        pc.target = 0
        pc.extraEpochs = 0
        let base = try small.pretrain(pc, shouldStop: { false })
        #expect(base.epochs == 1)
        let data = try EncodedCKLData(small, tokenizer: base.model.tokenizer!)
        // BPE object marks cover every unit's object in its evidence.
        #expect(data.toLearn.allSatisfy { $0.evidence.objectTokenCount >= 1 && !$0.taskObject.isEmpty })
        var c = CKLRunConfig(epochs: 1, batchSize: 3, lr: 1e-3, warmupSteps: 1)
        c.evalBatchSize = 8
        for name in ["finetune", "oracle"] {
            let r = try LamaCKLProtocol.run(base: base.model, data: data, method: CKLMethod.named(name), config: c, shouldStop: { false }).result
            #expect(r.curve.count == 2)
            print("real-data smoke: \(r.method) Top \(r.topAccuracy) NF \(r.notToForgetAtTop)")
        }
    }
}
