import Foundation
import Testing
import TensorCore
import Interrupts
@testable import NN

@Suite(.serialized) struct ModelTests {
    /// The first and the eleventh training loss on one batch (AdamW, lr 1e-2).
    static func lossesOverElevenSteps(_ m: LanguageModel, _ b: TokenBatch) throws -> (first: Float, last: Float) {
        let opt = try Optimizer(.adamw(lr: 1e-2))
        let l0 = try m.trainStep(b, optimizer: opt)
        var l = l0
        for _ in 0..<10 { l = try m.trainStep(b, optimizer: opt) }
        return (l0, l)
    }

    static func factModel(seed: UInt64 = 1) throws -> (LanguageModel, WordTokenizer) {
        let tok = try WordTokenizer(corpus: Facts.sentences)
        let cfg = TransformerConfig(vocabSize: tok.vocabSize, dModel: 32, layers: 2, heads: 2, context: 16)
        return (try LanguageModel(config: cfg, tokenizer: .word(tok), seed: seed), tok)
    }

    @Test func memorisesFacts() throws {
        let (m, tok) = try Self.factModel()
        let opts = TrainOptions(epochs: 150, batchSize: 8, seed: 3, optimizer: .adamw(lr: 1e-2, weightDecay: 0))
        let r = try m.fit(texts: Facts.sentences, options: opts)
        #expect(r.steps == 150)
        // Names are unpredictable (8 equally likely after <bos>): the floor is ln 8 / 6 ≈ 0.35.
        #expect(try #require(r.finalLoss) < 0.45, "final loss \(r.finalLoss ?? .nan)")
        // The city is at position 4 of "<bos> name lives in city . <eos>".
        let seqs = try Facts.sentences.map { try m.encodeForModel($0) }
        let acc = try m.spanAccuracy(seqs, spans: seqs.map { _ in 4..<5 })
        #expect(acc.allSatisfy { $0 == 1.0 }, "accuracies \(acc)")
        let out = try m.generate("carol lives in", options: GenerationOptions(maxTokens: 2))
        #expect(out == "oslo.")
        _ = tok
    }

    @Test func sameSeedSameLosses() throws {
        func run() throws -> [Float] {
            var cfg = try Self.factModel().0.config
            cfg.dropout = 0.1
            let m = try LanguageModel(config: cfg, tokenizer: Self.factModel().0.tokenizer, seed: 4)
            return try m.fit(texts: Facts.sentences, options: TrainOptions(epochs: 3, batchSize: 3, seed: 9)).losses
        }
        let a = try run(), b = try run()
        #expect(a == b)
        #expect(a.count == 9)
    }

    @Test func interruptStopsAfterCurrentStep() throws {
        let (m, _) = try Self.factModel()
        Interrupt.clear()
        var seen = 0
        let hooks = TrainHooks(progress: { p in
            seen = p.step
            if p.step == 2 { Interrupt.request() }
        })
        let r = try m.fit(texts: Facts.sentences, options: TrainOptions(epochs: 10, batchSize: 2), hooks: hooks)
        #expect(r.interrupted)
        #expect(r.steps == 2 && seen == 2)
        #expect(!Interrupt.isRequested)
        // The model is intact and usable.
        #expect(try m.nll("alice lives in paris .").count == 6)
    }

    @Test func nanLossStopsWithStep() throws {
        let (m, _) = try Self.factModel()
        let before = m.params
        let opt = try Optimizer(.sgd(lr: 1e30))
        let b = try TokenBatch(sequences: [try m.encodeForModel("alice lives in paris .")], padId: 0, maxLength: 16)
        var caught: NNError? = nil
        for _ in 0..<5 {
            do { try m.trainStep(b, optimizer: opt) } catch { caught = error; break }
        }
        let e = try #require(caught)
        #expect(e.description.contains("step"))
        switch e {
        case .nonFiniteLoss, .nonFiniteGradient: break
        default: Issue.record("unexpected \(e)")
        }
        _ = before
    }

    @Test func paddingDoesNotChangeLosses() throws {
        let (m, _) = try Self.factModel()
        let s1 = try m.encodeForModel("alice lives in paris ."), s2 = try m.encodeForModel("bob .")
        let alone = try m.tokenLosses(batch: TokenBatch(sequences: [s2], padId: 0, maxLength: 16))
        let padded = try m.tokenLosses(batch: TokenBatch(sequences: [s1, s2], padId: 0, maxLength: 16))
        let row = try slice(slice(padded, axis: 0, start: 1, end: 2), axis: 1, start: 0, end: 3)
        #expect(maxAbsDiff(row, alone) < 1e-5)
        let tail = try slice(slice(padded, axis: 0, start: 1, end: 2), axis: 1, start: 3, end: 6)
        #expect(tail.scalars.allSatisfy { $0 == 0 })
    }

    @Test func loraWithZeroBEqualsBase() throws {
        let (m, _) = try Self.factModel()
        let b = try TokenBatch(sequences: [try m.encodeForModel("alice lives in paris .")], padId: 0, maxLength: 16)
        let base = try m.logits(params: m.params, tokens: b.inputs)
        try m.addLoRA(rank: 4, alpha: 8, targets: ["blocks.*.attn.wq", "blocks.*.attn.wv", "blocks.*.mlp.fc1"])
        let with = try m.logits(params: m.params, tokens: b.inputs)
        #expect(maxAbsDiff(base, with) == 0)
        #expect(m.trainableParameters.paths.allSatisfy { $0.hasSuffix("lora_a") || $0.hasSuffix("lora_b") })
        // Training moves only LoRA factors; merge then unmerge keeps the outputs.
        let frozenBefore = try m.params.require("blocks.0.attn.wq.weight")
        let opt = try Optimizer(.adamw(lr: 1e-2))
        for _ in 0..<3 { try m.trainStep(b, optimizer: opt) }
        #expect(maxAbsDiff(frozenBefore, try m.params.require("blocks.0.attn.wq.weight")) == 0)
        let trained = try m.logits(params: m.params, tokens: b.inputs)
        #expect(maxAbsDiff(trained, base) > 0)
        try m.mergeLoRA()
        #expect(maxAbsDiff(trained, try m.logits(params: m.params, tokens: b.inputs)) < 1e-4)
        try m.unmergeLoRA()
        #expect(maxAbsDiff(trained, try m.logits(params: m.params, tokens: b.inputs)) < 1e-4)
    }

    @Test func adaptersStartAsBaseAndTrainOnlyThemselves() throws {
        let (m, _) = try Self.factModel()
        let b = try TokenBatch(sequences: [try m.encodeForModel("alice lives in paris .")], padId: 0, maxLength: 16)
        let base = try m.logits(params: m.params, tokens: b.inputs)
        try m.addAdapters(layers: [0, 1], dim: 16, heads: 2)
        #expect(maxAbsDiff(base, try m.logits(params: m.params, tokens: b.inputs)) == 0)
        #expect(m.trainableParameters.paths.allSatisfy { $0.hasPrefix("adapters.") })
        let (l0, l) = try Self.lossesOverElevenSteps(m, b)
        #expect(l < l0)
    }

    @Test func normalisedAdaptersStartNeutralAndStayBounded() throws {
        let (m, _) = try Self.factModel()
        let b = try TokenBatch(sequences: [try m.encodeForModel("alice lives in paris .")], padId: 0, maxLength: 16)
        let base = try m.logits(params: m.params, tokens: b.inputs)
        try m.addAdapters(layers: [0, 1], dim: 16, heads: 2, output: .normalized(scale: 0.5))
        #expect(m.params.paths.contains("adapters.out.gain"))
        #expect(maxAbsDiff(base, try m.logits(params: m.params, tokens: b.inputs)) == 0, "a zero gain leaves the model unchanged")
        #expect(m.trainableParameters.paths.allSatisfy { $0.hasPrefix("adapters.") })
        let (l0, l) = try Self.lossesOverElevenSteps(m, b)
        #expect(l < l0)
        // The adapters' part of the final hidden state is scale × gain ⊙ (unit-RMS vector): per
        // position its norm is at most scale × max|gain| × √D, however large the adapters' own output.
        let gain = try #require(m.params["adapters.out.gain"]).scalars
        let maxGain = Double(gain.map { abs($0) }.max() ?? 0)
        #expect(maxGain > 0, "the gain trains")
        let (baseState, adapterPart) = try m.adapterDecomposition(tokens: b.inputs)
        let a = try #require(adapterPart)
        let d = m.config.dModel
        #expect(baseState.shape == a.shape)
        for t in 0..<a.shape[1] {
            var sq = 0.0
            for k in 0..<d { let v = Double(a.scalars[t * d + k]); sq += v * v }
            #expect(sq.squareRoot() <= 0.5 * maxGain * Double(d).squareRoot() * (1 + 1e-4))
        }
        // Scaling the up-projection (the adapters' raw output) by 100 leaves the model's logits unchanged.
        var p = m.params
        for path in p.paths where path.hasPrefix("adapters.1.up.") { p[path] = try mul(try #require(p[path]), Float(100)) }
        #expect(maxAbsDiff(try m.logits(params: m.params, tokens: b.inputs), try m.logits(params: p, tokens: b.inputs)) < 1e-3)
    }

    @Test func adapterOutputSurvivesCheckpointsAndOldConfigsReadAsPreNorm() throws {
        let (m, _) = try Self.factModel()
        try m.addAdapters(layers: [1], dim: 8, heads: 1, output: .normalized(scale: 0.1))
        var p = m.params
        p["adapters.out.gain"] = try Tensor.full([m.config.dModel], 0.7)
        m.params = p
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("adapters-\(UInt64.random(in: 0...UInt64.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        let back = try LanguageModel.load(from: path)
        #expect(back.adapters == m.adapters)
        let b = try TokenBatch(sequences: [try m.encodeForModel("alice lives in paris .")], padId: 0, maxLength: 16)
        #expect(maxAbsDiff(try m.logits(params: m.params, tokens: b.inputs), try back.logits(params: back.params, tokens: b.inputs)) == 0)
        let old = try JSONDecoder().decode(AdapterConfig.self, from: Data(#"{"layers":[0,1],"dim":16,"heads":2}"#.utf8))
        #expect(old.output == .preNorm)
        #expect(throws: NNError.self) { try AdapterConfig(layers: [0], dim: 4, heads: 1, output: .normalized(scale: 0)).validate(baseLayers: 2) }
    }

    @Test func freezingByPattern() throws {
        let (m, _) = try Self.factModel()
        m.freeze(["blocks.*.attn.*", "embed"])
        let t = m.trainableParameters.paths
        #expect(!t.contains { $0.contains(".attn.") || $0.hasPrefix("embed") })
        #expect(t.contains("blocks.0.mlp.fc1.weight"))
        #expect(PathPattern.matches("**.lora_a", "blocks.0.attn.wq.lora_a"))
        #expect(!PathPattern.matches("blocks.*.attn.wq", "blocks.0.attn.wk.weight"))
        #expect(PathPattern.matches("blocks.1*", "blocks.10.attn.wk.weight"))
    }

    @Test func hiddenStatesShape() throws {
        let body = try TransformerBody(TransformerConfig(vocabSize: 20, dModel: 16, layers: 1, heads: 2, context: 8), prefix: "ta.")
        var p = ParameterSet()
        var rng = TaalmRNG(seed: 1)
        try body.initialize(into: &p, rng: &rng)
        #expect(p.paths.allSatisfy { $0.hasPrefix("ta.") })
        let h = try body.hiddenStates(params: p, tokens: IndexTensor(shape: [2, 5], values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
        #expect(h.shape == [2, 5, 16])
    }

    @Test func errorsAreThrownNotTrapped() throws {
        let (m, _) = try Self.factModel()
        #expect(throws: NNError.self) { try m.generate(prompt: [999]) }
        #expect(throws: NNError.self) { try m.logits(params: m.params, tokens: IndexTensor(shape: [1, 40], values: Array(repeating: 1, count: 40))) }
        #expect(throws: NNError.self) { try TransformerConfig(vocabSize: 10, dModel: 10, heads: 3).validate() }
        #expect(throws: NNError.self) { try m.addLoRA(rank: 2, targets: ["nothing.*"]) }
        #expect(throws: NNError.self) { try m.spanAccuracy([[1, 2]], spans: [0..<1]) }
        #expect(throws: NNError.self) { try TokenBatch(sequences: [[1]], padId: 0, maxLength: 4) }
    }

    @Test func samplingIsSeededAndTopKOneIsGreedy() throws {
        let (m, _) = try Self.factModel()
        let a = try m.generate(prompt: [1, 5], options: GenerationOptions(maxTokens: 6, temperature: 1, seed: 3, stopAtEOS: false))
        let b = try m.generate(prompt: [1, 5], options: GenerationOptions(maxTokens: 6, temperature: 1, seed: 3, stopAtEOS: false))
        #expect(a == b)
        let g = try m.generate(prompt: [1, 5], options: GenerationOptions(maxTokens: 6, stopAtEOS: false))
        let k1 = try m.generate(prompt: [1, 5], options: GenerationOptions(maxTokens: 6, temperature: 2, topK: 1, seed: 8, stopAtEOS: false))
        #expect(g == k1)
    }
}
