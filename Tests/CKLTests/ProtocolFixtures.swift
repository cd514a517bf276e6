import CKL
import NN
import TensorCore

/// Small shared objects for the protocol tests: a micro world (a few units of every split)
/// and a small base model pretrained on it, built once.
enum ProtocolFixtures {
    static let microConfig: LamaWorldConfig = {
        var c = LamaWorldConfig(notToForget: 12, toLearn: 8, meta: 4, skill: 12, extraEvidencePerFact: 1,
                                knownObjectsPerType: 3, backgroundPeople: 5)
        c.distractorsPerDocument = 1...2
        return c
    }()

    static let world: LamaCKLBenchmark = {
        do { return try LamaCKLBenchmark.generated(microConfig, seed: 5) } catch { fatalError("\(error)") }
    }()

    static let pretrainConfig: PretrainConfig = {
        var c = PretrainConfig(dim: 32, layers: 1, heads: 2)
        c.lr = 3e-3
        c.warmupSteps = 5
        c.target = 0.5
        c.maxEpochs = 60
        c.extraEpochs = 1
        c.seed = 3
        return c
    }()

    /// The micro base model (pretrained until half the NOT-TO-FORGET facts are known).
    static let pretrained: PretrainResult = {
        do { return try world.pretrain(pretrainConfig, shouldStop: { false }) } catch { fatalError("\(error)") }
    }()

    static var base: LanguageModel { pretrained.model }

    static let data: EncodedCKLData = {
        do { return try EncodedCKLData(world, tokenizer: pretrained.model.tokenizer!) } catch { fatalError("\(error)") }
    }()

    /// A fresh small model with a word tokenizer over the micro world's texts.
    static func freshModel(seed: UInt64 = 1, dim: Int = 16) -> LanguageModel {
        do {
            let tok = try world.makeTokenizer(.word)
            let c = TransformerConfig(vocabSize: tok.vocabSize, dModel: dim, layers: 1, heads: 2, context: 96, positions: .rotary)
            return try LanguageModel(config: c, tokenizer: tok, seed: seed)
        } catch { fatalError("\(error)") }
    }

    static func run(_ method: String, epochs: Int = 2, seed: UInt64 = 0, shouldStop: @escaping () -> Bool = { false })
        throws -> (result: CKLResult, model: LanguageModel) {
        var c = CKLRunConfig(epochs: epochs, batchSize: 4, lr: 1e-3, warmupSteps: 2, seed: seed)
        c.evalBatchSize = 16
        return try LamaCKLProtocol.run(base: base, data: data, method: CKLMethod.named(method), config: c, shouldStop: shouldStop)
    }
}

/// Max |a − b| over two equal-length float arrays.
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
}
