import Testing
@testable import CKL
import NN
import TensorCore
import TrainAttention

/// Each method's loss and update on a tiny model, against a hand computation and finite
/// differences.
@Suite struct MethodStepTests {
    /// Two evidence rows of the micro world and their object marks.
    static func docs() throws -> [TrainingExample] {
        let enc = UnitEncoder(tokenizer: try ProtocolFixtures.world.makeTokenizer(.word))
        return try ProtocolFixtures.world.toLearn.prefix(2).flatMap { u in TrainingExample.rows(try enc.encode(u).evidence, context: 96) }
    }

    /// Per-row losses ℓ_bj (Double) of `params` on `rows`.
    static func tokenLosses(_ lm: LanguageModel, _ params: ParameterSet, _ rows: [TrainingExample]) throws -> [[Double]] {
        let b = try DocumentBatch.make(rows, context: 96)
        let l = try Autodiff.withoutGrad { try lm.tokenLosses(params: params, batch: b.batch) }.scalars
        let t = b.batch.length
        return rows.indices.map { r in (0..<(rows[r].ids.count - 1)).map { Double(l[r * t + $0]) } }
    }

    /// The normalised weighted loss by hand: mean over rows of Σ w ℓ / Σ w.
    static func handLoss(_ losses: [[Double]], _ weights: [[Double]]) -> Double {
        let per = zip(losses, weights).map { l, w in
            zip(l, w).map(*).reduce(0, +) / (w.reduce(0, +) + 1e-8)
        }
        return per.reduce(0, +) / Double(per.count)
    }

    /// One SGD step of `weighting` with lr α; checks the loss against `hand` and the update
    /// (θ − θ')/α against central finite differences of `hand` on the largest coordinates.
    func checkStep(_ weighting: any TokenWeighting, hand: @escaping ([[Double]]) -> Double) throws {
        let rows = try Self.docs()
        let lm = ProtocolFixtures.freshModel(seed: 4)
        let before = lm.params
        let alpha = 0.5
        let opt = try Optimizer(.sgd(lr: alpha))
        let trainer = WeightedTrainer(model: lm, optimizer: opt, weighting: weighting, recAdam: nil)
        let loss = try trainer.step(DocumentBatch.make(rows, context: 96))
        let expected = hand(try Self.tokenLosses(lm, before, rows))
        #expect(Swift.abs(Double(loss) - expected) < 1e-4 * Swift.max(1, expected))
        for path in ["head.weight", "blocks.0.attn.wq.weight", "blocks.0.mlp.fc1.weight"] {
            let p0 = before[path]!.scalars, p1 = lm.params[path]!.scalars
            let grad = zip(p0, p1).map { Double($0 - $1) / alpha }
            let top = grad.indices.sorted { Swift.abs(grad[$0]) > Swift.abs(grad[$1]) }.prefix(2)
            for i in top {
                let eps: Float = 1e-2
                func shifted(_ d: Float) throws -> Double {
                    var v = p0
                    v[i] += d
                    var p = before
                    p[path] = try Tensor(shape: before[path]!.shape, values: v)
                    return hand(try Self.tokenLosses(lm, p, rows))
                }
                let fd = (try shifted(eps) - shifted(-eps)) / Double(2 * eps)
                #expect(Swift.abs(fd - grad[i]) <= 0.03 * Swift.abs(grad[i]) + 1e-4, "\(path)[\(i)]: update \(grad[i]) vs finite difference \(fd)")
            }
        }
    }

    @Test func uniformIsThePerDocumentMeanLoss() throws {
        try checkStep(UniformWeighting()) { losses in
            Self.handLoss(losses, losses.map { $0.map { _ in 1 } })
        }
    }

    @Test func oracleTrainsOnlyTheObjectTokens() throws {
        let rows = try Self.docs()
        try checkStep(OracleWeighting()) { losses in
            Self.handLoss(losses, rows.map { $0.targetIsObject.map { $0 ? 1 : 0 } })
        }
        // The oracle's weights are exactly the object marks (and zero on padding).
        let b = try DocumentBatch.make(rows, context: 96)
        let w = try OracleWeighting().weights(b, model: ProtocolFixtures.freshModel(), params: ProtocolFixtures.freshModel().params).scalars
        let t = b.batch.length
        for (r, row) in rows.enumerated() {
            for j in 0..<t { #expect(w[r * t + j] == (j < row.targetIsObject.count && row.targetIsObject[j] ? 1 : 0)) }
        }
        #expect(rows.allSatisfy { $0.targetIsObject.contains(true) })
    }

    @Test func rho1KeepsTheTopFractionByExcessProbability() throws {
        let rows = try Self.docs()
        let lm = ProtocolFixtures.freshModel(seed: 6)
        let start = lm.params
        // Move the model (one plain step) so excess losses differ from zero.
        _ = try WeightedTrainer(model: lm, optimizer: Optimizer(.sgd(lr: 1)), weighting: UniformWeighting(), recAdam: nil)
            .step(DocumentBatch.make(Array(rows.reversed()), context: 96))
        let policy = try CKLMethod.Weighting.rho1(keepFraction: 0.4).policy(start: start)
        let b = try DocumentBatch.make(rows, context: 96)
        let w = try policy.weights(b, model: lm, params: lm.params).scalars
        let now = try Self.tokenLosses(lm, lm.params, rows), ref = try Self.tokenLosses(lm, start, rows)
        let t = b.batch.length
        for r in rows.indices {
            let n = rows[r].ids.count - 1
            let kept = (0..<n).filter { w[r * t + $0] == 1 }
            #expect(kept.count == Int((Double(n) * 0.4).rounded(.up)))
            #expect((n..<t).allSatisfy { w[r * t + $0] == 0 }, "padding is never kept")
            // Excess score = p_current − p_reference (PAPER.md): the tokens gained most since the start.
            let excess = (0..<n).map { Foundation.exp(-now[r][$0]) - Foundation.exp(-ref[r][$0]) }
            let dropped = (0..<n).filter { w[r * t + $0] == 0 }
            let minKept = kept.map { excess[$0] }.min() ?? 0, maxDropped = dropped.map { excess[$0] }.max() ?? 0
            #expect(minKept >= maxDropped - 1e-6)
            #expect(maxDropped < (kept.map { excess[$0] }.max() ?? 0), "the ranking is not the reverse one")
        }
    }

    @Test func recAdamFollowsItsUpdateRule() throws {
        let cfg = RecAdamConfig(coefficient: 50, k: 0.5, t0: 4)
        #expect(cfg.lambda(step: 4, t0: 4) == 0.5)
        #expect(cfg.lambda(step: 1, t0: 4) < cfg.lambda(step: 2, t0: 4))
        let s = try ParameterSet([("w", Tensor([0, 0, 0]))])
        let c = try ParameterSet([("w", Tensor([1, -2, 0.5]))])
        let u = try ParameterSet([("w", Tensor([1.5, -1, 0.25]))])
        let pull = RecAdamPull(config: cfg, start: s, totalSteps: 100, lr: 0.01)
        let out = try pull.apply(current: c, updated: u, step: 2, lr: 0.01)["w"]!.scalars
        let lambda = 1 / (1 + Foundation.exp(-0.5 * (2.0 - 4)))
        for i in 0..<3 {
            let mid = Double(c["w"]!.scalars[i]) + lambda * Double(u["w"]!.scalars[i] - c["w"]!.scalars[i])
            let expected = mid - 0.01 * (1 - lambda) * 50 * mid
            #expect(Swift.abs(Double(out[i]) - expected) < 1e-6)
        }
        // Defaults: t0 = a quarter of the run, γ = 0.1 / lr (100 at lr 1e-3, 10 at LoRA's 1e-2);
        // lr × coefficient > 1 is refused, a negative coefficient too.
        let defaults = RecAdamPull(config: RecAdamConfig(), start: s, totalSteps: 100, lr: 1e-3)
        #expect(defaults.t0 == 25)
        #expect(Swift.abs(defaults.coefficient - 100) < 1e-9)
        #expect(Swift.abs(RecAdamConfig().coefficient(lr: 1e-2) - 10) < 1e-9)
        #expect(RecAdamConfig(coefficient: 50).coefficient(lr: 1e-2) == 50)
        try RecAdamConfig().validate(lr: 3e-2)
        #expect(throws: CKLError.self) { try RecAdamConfig(coefficient: 5000).validate(lr: 1e-3) }
        #expect(throws: CKLError.self) { try RecAdamConfig(coefficient: -1).validate(lr: 1e-3) }
    }

    @Test func recAdamPullsTowardTheStart() throws {
        func distance(_ method: CKLMethod) throws -> Double {
            var c = CKLRunConfig(epochs: 1, batchSize: 4, lr: 1e-3, warmupSteps: 0, seed: 2)
            c.evalBatchSize = 16
            let (_, lm) = try LamaCKLProtocol.run(base: ProtocolFixtures.base, data: ProtocolFixtures.data, method: method, config: c, shouldStop: { false })
            var d = 0.0
            for (p, t) in lm.params.entries {
                for (a, b) in zip(t.scalars, ProtocolFixtures.base.params[p]!.scalars) { d += Double(a - b) * Double(a - b) }
            }
            return d.squareRoot()
        }
        let finetune = try distance(CKLMethod())
        // λ ≈ 0 all run long (t0 far away): the optimizer's steps are scaled away and the pull holds θ near θ₀.
        let rec = try distance(CKLMethod(recAdam: RecAdamConfig(coefficient: 500, k: 0.5, t0: 10_000)))
        #expect(finetune > 0)
        #expect(rec < 0.01 * finetune)
    }
}

import Foundation
