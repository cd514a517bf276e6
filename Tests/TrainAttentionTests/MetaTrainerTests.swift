import Foundation
import Testing
import NN
import TensorCore
@testable import TrainAttention

/// A synthetic fact world small enough for unit tests: "NAME plays for TEAM ." sits among
/// filler words in each document; the task is the bare sentence.
struct FactWorld {
    static let names = 12, teams = 12, fillers = 14
    // ids: 0 pad, 1 bos, 2 eos, 3 unk, 4 "plays", 5 "for", 6 ".", then names, teams, fillers.
    static let vocab = 7 + names + teams + fillers
    static func name(_ i: Int) -> Int { 7 + i }
    static func team(_ i: Int) -> Int { 7 + names + i }
    static func filler(_ i: Int) -> Int { 7 + names + teams + i }

    static func examples(count: Int, seed: UInt64) -> [MetaExample] {
        var rng = TaalmRNG(seed: seed)
        return (0..<count).map { _ in
            let n = name(rng.nextInt(below: names)), t = team(rng.nextInt(below: teams))
            var doc = [1] + (0..<3).map { _ in filler(rng.nextInt(below: fillers)) }
            let at = doc.count + 3
            doc += [n, 4, 5, t, 6] + (0..<4).map { _ in filler(rng.nextInt(below: fillers)) }
            let task = [1, n, 4, 5, t, 6]
            return try! MetaExample(document: doc, documentObject: [at..<(at + 1)], task: task, taskObject: 4..<5)
        }
    }

    static func model(seed: UInt64) -> LanguageModel {
        try! LanguageModel(config: TransformerConfig(vocabSize: vocab, dModel: 32, layers: 1, heads: 2, context: 16, positions: .rotary), seed: seed)
    }

    static func ta(seed: UInt64) -> TrainAttentionModel {
        try! TrainAttentionModel(config: TransformerConfig(vocabSize: vocab, dModel: 32, layers: 1, heads: 2, context: 16), seed: seed)
    }
}

@Suite struct MetaTrainerTests {
    @Test func weightsStartNearSigmoidOfFour() throws {
        let ta = FactWorld.ta(seed: 1)
        let w = try ta.documentWeights(FactWorld.examples(count: 3, seed: 2))
        for row in w { for x in row { #expect(Swift.abs(x - 0.982) < 0.01) } }
        #expect(w[0].count == 12)   // 13 document tokens → 12 targets
    }

    @Test func enginesAgreeOnTheLanguageModel() throws {
        let lm = FactWorld.model(seed: 3), ta = FactWorld.ta(seed: 4)
        var batch = FactWorld.examples(count: 3, seed: 5)
        batch[1].document.removeLast(3)   // documents of different lengths: padding in the shared batch
        let settings = [InnerStep.sgd(lr: 0.1), .adamw(lr: 0.01)].flatMap { i in InnerBatching.allCases.map { (i, $0) } }
        for (inner, batching) in settings {
            let a = try MetaStep(lm: lm, ta: ta, engine: .secondOrder, inner: inner, batching: batching).gradients(batch)
            let b = try MetaStep(lm: lm, ta: ta, engine: .forward, inner: inner, batching: batching).gradients(batch)
            #expect(Swift.abs(a.metaLoss - b.metaLoss) < 1e-4)
            var maxDiff: Float = 0, scale: Float = 0
            for (x, y) in zip(a.grads.tensors, b.grads.tensors) {
                for (u, v) in zip(x.scalars, y.scalars) { maxDiff = max(maxDiff, Swift.abs(u - v)); scale = max(scale, Swift.abs(u)) }
            }
            #expect(maxDiff <= 1e-3 * scale + 1e-6, "\(inner), \(batching): engines differ by \(maxDiff) (gradient scale \(scale))")
        }
    }

    @Test func metaTrainingMovesWeightTowardTheObject() throws {
        let lm = FactWorld.model(seed: 7), ta = FactWorld.ta(seed: 8)
        var config = MetaTrainingConfig()
        config.inner = .sgd(lr: 0.3)
        config.unitsPerStep = 4
        config.steps = 40
        config.evalEvery = 20
        config.outer = .adamw(lr: 3e-3, weightDecay: 0)
        let trainer = try MetaTrainer(lm: lm, ta: ta, config: config)
        let result = try trainer.train(FactWorld.examples(count: 48, seed: 9), heldOut: FactWorld.examples(count: 12, seed: 10))
        let first = result.evaluations[0], last = result.evaluations[result.evaluations.count - 1]
        #expect(result.metaLosses.count == 40 && !result.interrupted)
        #expect(last.agreement.objectShare >= 2 * first.agreement.objectShare,
                "object share \(first.agreement.objectShare) → \(last.agreement.objectShare)")
        #expect(last.heldOutMetaLoss < first.heldOutMetaLoss)
        #expect(last.snapshot.count == result.snapshotDocument.count - 1)
    }

    @Test func tokenMetaGradientsAreTheForwardEnginesAlignments() throws {
        // With SGD (rate α) and weights w: ∂L_meta/∂w_k = (s_k − Σ_i w_i s_i / S) / S, s = −α d.
        let lm = FactWorld.model(seed: 12), ta = FactWorld.ta(seed: 13)
        let ex = FactWorld.examples(count: 1, seed: 14)[0]
        let alpha: Float = 0.2
        let step = MetaStep(lm: lm, ta: ta, engine: .forward, inner: .sgd(lr: alpha))
        let d = try step.tokenMetaGradients(ex, lr: alpha)
        let w = try ta.documentWeights([ex])[0]
        let (unit, doc) = try step.unit([ex], theta: lm.trainableParameters.paths)
        let phiPaths = ta.params.paths
        let r = try MetaGradients.compute(engine: .forward, phi: ta.params.tensors, theta: lm.trainableParameters.tensors, unit: unit,
                                          weights: { ph in try ta.weights(params: ParameterSet(Array(zip(phiPaths, ph))), batch: doc) },
                                          inner: .sgd(lr: alpha))
        let s = d.map { -Double(alpha) * Double($0) }
        let S = w.reduce(0.0) { $0 + Double($1) } + 1e-8
        let mean = zip(w, s).reduce(0.0) { $0 + Double($1.0) * $1.1 } / S
        let dw = r.weightGrads?.scalars ?? []
        #expect(d.count == w.count && dw.count >= d.count)
        for (k, sk) in s.enumerated() {
            #expect(Swift.abs(Double(dw[k]) - (sk - mean) / S) <= 1e-5 + 1e-3 * Swift.abs((sk - mean) / S))
        }
    }

    @Test func agreementArithmetic() {
        let a = Agreement.measure(weights: [[0.9, 0.1, 0.5, 0.2], [0.1, 0.2, 0.3]], objects: [[true, false, false, false], [false, false, true]])
        #expect(Swift.abs(a.objectShare - (0.9 / 1.7 + 0.3 / 0.6) / 2) < 1e-6)
        #expect(a.precisionAtK == 1 && a.recallAtK == 1 && a.documents == 2)
        let b = Agreement.measure(weights: [[0.1, 0.9]], objects: [[true, false]], k: 1)
        #expect(b.precisionAtK == 0)
        // Ties at the k-th weight share the slots: [1, 1, 0] with the object second and k = 1 scores 0.5
        // whatever the order; a tie wholly inside the top k counts fully.
        let tie = Agreement.measure(weights: [[1, 1, 0]], objects: [[false, true, false]])
        #expect(tie.precisionAtK == 0.5 && tie.recallAtK == 0.5)
        let inside = Agreement.measure(weights: [[1, 1, 0.2, 0]], objects: [[true, true, false, false]])
        #expect(inside.precisionAtK == 1)
        let partial = Agreement.measure(weights: [[0.9, 0.5, 0.5, 0.5, 0.1]], objects: [[true, false, true, false, false]], k: 2)
        #expect(Swift.abs(partial.precisionAtK - (1 + 1.0 / 3) / 2) < 1e-12)
    }

    @Test func checkpointRoundTripAndErrors() throws {
        let ta = FactWorld.ta(seed: 11)
        let path = NSTemporaryDirectory() + "ta-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ta.save(to: path)
        let back = try TrainAttentionModel.load(from: path)
        #expect(back.config == ta.config)
        for (x, y) in zip(ta.params.tensors, back.params.tensors) { #expect(x.scalars == y.scalars) }
        let lmPath = path + ".lm"
        defer { try? FileManager.default.removeItem(atPath: lmPath) }
        try FactWorld.model(seed: 1).save(to: lmPath)
        #expect(throws: NNError.self) { try TrainAttentionModel.load(from: lmPath) }
        #expect(throws: NNError.self) { try TrainAttentionModel.load(from: "/nonexistent/ta.safetensors") }
    }

    @Test func badConfigurationsAreErrors() throws {
        var config = MetaTrainingConfig()
        config.unitsPerStep = 0
        #expect(throws: NNError.self) { try MetaTrainer(lm: FactWorld.model(seed: 1), ta: FactWorld.ta(seed: 1), config: config) }
        let other = try TrainAttentionModel(config: TransformerConfig(vocabSize: 99, dModel: 16, layers: 1, heads: 1, context: 8), seed: 1)
        #expect(throws: NNError.self) { try MetaTrainer(lm: FactWorld.model(seed: 1), ta: other, config: MetaTrainingConfig()) }
        #expect(throws: NNError.self) { try MetaExample(document: [1, 2, 3], documentObject: [], task: [1, 2], taskObject: 0..<1) }
    }
}
