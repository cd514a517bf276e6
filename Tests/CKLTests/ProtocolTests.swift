import Testing
@testable import CKL
import NN

@Suite struct ProtocolTests {
    @Test func pretrainingReachesItsTargetAndReportsTheCurve() {
        let p = ProtocolFixtures.pretrained
        #expect(p.notToForgetAccuracy >= ProtocolFixtures.pretrainConfig.target)
        #expect(p.reachedTargetAt != nil)
        #expect(p.epochs == (p.reachedTargetAt ?? 0) + ProtocolFixtures.pretrainConfig.extraEpochs)
        #expect(p.curve.map(\.epoch) == Array(1...p.epochs))
        #expect(p.toLearnAccuracy <= 0.15, "novel TO-LEARN objects are unknown to the base")
        #expect(!p.interrupted)
        #expect(p.model.config.positions == .rotary)
    }

    @Test func pretrainingFailsClearlyWhenTheTargetIsOutOfReach() {
        var c = ProtocolFixtures.pretrainConfig
        c.target = 1.0
        c.maxEpochs = 1
        #expect {
            _ = try ProtocolFixtures.world.pretrain(c, shouldStop: { false })
        } throws: { e in
            guard case .pretrainingTargetMissed(let target, _, let epochs)? = e as? CKLError else { return false }
            return target == 1.0 && epochs == 1 && "\(e)".contains("did not reach")
        }
    }

    @Test func epochZeroIsMeasuredBeforeTraining() throws {
        var seen: [Int] = []
        var c = CKLRunConfig(epochs: 1, batchSize: 4, lr: 1e-3, warmupSteps: 1)
        c.evalBatchSize = 16
        let before = ProtocolFixtures.base.params
        let (r, lm) = try LamaCKLProtocol.run(base: ProtocolFixtures.base, data: ProtocolFixtures.data, method: CKLMethod(), config: c,
                                              progress: { seen.append($0.epoch) }, shouldStop: { false })
        #expect(seen == [0, 1])
        #expect(r.curve[0].toLearn == (try TaskMetrics.accuracy(ProtocolFixtures.base, TaskSet(ProtocolFixtures.data.toLearn))))
        #expect(r.curve[0].notToForget == (try TaskMetrics.accuracy(ProtocolFixtures.base, TaskSet(ProtocolFixtures.data.notToForget))))
        #expect(r.curve[0].trainLoss == nil && r.curve[1].trainLoss != nil)
        // The base is untouched; the returned model moved.
        for (p, t) in ProtocolFixtures.base.params.entries { #expect(t.scalars == before[p]!.scalars) }
        #expect(lm.params["head.weight"]!.scalars != before["head.weight"]!.scalars)
        // Zero epochs: only the pre-test.
        c.epochs = 0
        let z = try LamaCKLProtocol.run(base: ProtocolFixtures.base, data: ProtocolFixtures.data, method: CKLMethod(), config: c, shouldStop: { false }).result
        #expect(z.curve.count == 1 && z.topEpoch == 0)
    }

    @Test func runsAreDeterministic() throws {
        let a = try ProtocolFixtures.run("oracle", epochs: 2, seed: 9).result, b = try ProtocolFixtures.run("oracle", epochs: 2, seed: 9).result
        #expect(a.curve == b.curve)
        #expect(a.method == "Oracle")
        #expect(a.curve.map(\.epoch) == [0, 1, 2])
    }

    @Test func stoppingKeepsThePartialCurve() throws {
        var polls = 0
        let (r, _) = try ProtocolFixtures.run("finetune", epochs: 3, shouldStop: { polls += 1; return polls == 4 })
        #expect(r.interrupted)
        #expect(r.plannedEpochs == 3)
        #expect(r.curve.map(\.epoch) == [0, 1], "2 steps per epoch: the 4th step ends epoch 2, which is not recorded")
    }

    @Test func variantsTrainOnlyTheirParameters() throws {
        let base = ProtocolFixtures.base.params
        for (name, ownPrefix) in [("lora", "lora_"), ("k-adapter", "adapters.")] {
            let (r, lm) = try ProtocolFixtures.run(name, epochs: 1)
            var movedOwn = false
            for (p, t) in lm.params.entries {
                if let b = base[p] {
                    #expect(t.scalars == b.scalars, "\(name): base weight \(p) must stay frozen")
                } else {
                    #expect(p.contains(ownPrefix), "\(name): unexpected new parameter \(p)")
                    if p.hasSuffix("lora_b") || p.contains(".up.") { movedOwn = movedOwn || t.scalars.contains { $0 != 0 } }
                }
            }
            #expect(movedOwn, "\(name) trained its own parameters")
            #expect(r.settings.contains { $0.name == (name == "lora" ? "lora" : "adapters") })
        }
    }

    @Test func everyNamedMethodRuns() throws {
        for name in ["rho-1", "mix-review", "recadam", "oracle+mix-review", "oracle+k-adapter"] {
            let r = try ProtocolFixtures.run(name, epochs: 1).result
            #expect(r.curve.count == 2, "\(name)")
            #expect(r.curve.allSatisfy { $0.toLearn.isFinite && $0.notToForget.isFinite })
        }
    }

    @Test func badSettingsAreErrorsNotTraps() {
        var c = CKLRunConfig()
        c.batchSize = 0
        #expect(throws: CKLError.self) {
            try LamaCKLProtocol.run(base: ProtocolFixtures.base, data: ProtocolFixtures.data, method: CKLMethod(), config: c, shouldStop: { false })
        }
        c = CKLRunConfig(lr: -1)
        #expect(throws: CKLError.self) {
            try LamaCKLProtocol.run(base: ProtocolFixtures.base, data: ProtocolFixtures.data, method: CKLMethod(), config: c, shouldStop: { false })
        }
        let noTokenizer = try? LanguageModel(config: ProtocolFixtures.base.config)
        #expect(throws: CKLError.self) {
            try LamaCKLProtocol.run(base: noTokenizer!, benchmark: ProtocolFixtures.world, method: CKLMethod(), config: CKLRunConfig())
        }
        #expect(throws: CKLError.self) { try CKLMethod(variant: .lora(rank: 0)).variant.apply(to: ProtocolFixtures.freshModel(), seed: 0) }
    }
}
