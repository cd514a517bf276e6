import Foundation
import Testing
import TensorCore
@testable import NN

@Suite struct OptimizerTests {
    static func one(_ v: [Float]) throws -> ParameterSet { try ParameterSet([("w", Tensor(v))]) }

    @Test func sgdMomentumByHand() throws {
        let opt = try Optimizer(.sgd(lr: 0.1, momentum: 0.9))
        var p = try Self.one([1, 2])
        p = try p.applying(opt.step(params: p, grads: Self.one([0.5, -1])))
        // b = g; w = w - 0.1 b
        #expect(p["w"]!.scalars == [0.95, 2.1])
        p = try p.applying(opt.step(params: p, grads: Self.one([0.5, -1])))
        // b = 0.9 b + g = [0.95, -1.9]; w = [0.95 - 0.095, 2.1 + 0.19]
        let w = p["w"]!.scalars
        #expect(abs(w[0] - 0.855) < 1e-6 && abs(w[1] - 2.29) < 1e-6)
        #expect(opt.state(of: "w")["momentum"]!.scalars.map { ($0 * 100).rounded() } == [95, -190])
    }

    @Test func adamwByHand() throws {
        let cfg = OptimizerConfig(kind: .adamw, lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1)
        let opt = try Optimizer(cfg)
        var p = try Self.one([1])
        var m = 0.0, v = 0.0, w = 1.0
        for (t, g) in [0.5, -0.25, 1.0].enumerated() {
            p = try p.applying(opt.step(params: p, grads: Self.one([Float(g)])))
            m = 0.9 * m + 0.1 * g; v = 0.99 * v + 0.01 * g * g
            let mh = m / (1 - pow(0.9, Double(t + 1))), vh = v / (1 - pow(0.99, Double(t + 1)))
            w = w * (1 - 0.1 * 0.1) - 0.1 * mh / (vh.squareRoot() + 1e-8)
            #expect(abs(Double(p["w"]!.scalars[0]) - w) < 1e-6, "step \(t + 1)")
        }
        #expect(abs(Double(opt.state(of: "w")["m"]!.scalars[0]) - m) < 1e-7)
        #expect(abs(Double(opt.state(of: "w")["v"]!.scalars[0]) - v) < 1e-7)
        #expect(opt.stepCount == 3)
    }

    /// All parameters update in one parallel job over 16K-element pieces: each must get
    /// exactly the update it gets alone, over steps that read the previous moments.
    @Test func adamwOverManyParametersMatchesOneAtATime() throws {
        let sizes = [1, 17, 16_384, 40_001, 70_000]
        var rng = TaalmRNG(seed: 9)
        let names = sizes.indices.map { "p\($0)" }
        var params = try ParameterSet(zip(names, sizes).map { ($0, try Tensor.randomNormal([$1], rng: &rng)) })
        let together = try Optimizer(.adamw(lr: 1e-2))
        let alone = try names.map { _ in try Optimizer(.adamw(lr: 1e-2)) }
        var separate = params
        for _ in 0..<3 {
            let grads = try ParameterSet(zip(names, sizes).map { ($0, try Tensor.randomNormal([$1], rng: &rng)) })
            params = try params.applying(together.step(params: params, grads: grads))
            for (i, name) in names.enumerated() {
                let one = try ParameterSet([(name, separate[name]!)])
                separate = try separate.applying(alone[i].step(params: one, grads: ParameterSet([(name, grads[name]!)])))
            }
        }
        for name in names {
            #expect(params[name]!.scalars == separate[name]!.scalars, "\(name)")
            #expect(together.state(of: name)["v"]!.scalars == alone[names.firstIndex(of: name)!].state(of: name)["v"]!.scalars)
        }
    }

    @Test func adamL2ByHand() throws {
        let opt = try Optimizer(.adam(lr: 0.01, weightDecay: 0.5))
        var p = try Self.one([2])
        p = try p.applying(opt.step(params: p, grads: Self.one([1])))
        // g' = 1 + 0.5·2 = 2; first Adam step moves by lr·sign.
        #expect(abs(p["w"]!.scalars[0] - 1.99) < 1e-6)
    }

    @Test func clippingScalesToNorm() throws {
        let opt = try Optimizer(OptimizerConfig(kind: .sgd, lr: 1, clipNorm: 1))
        let p = try Self.one([0, 0])
        let out = try opt.step(params: p, grads: Self.one([3, 4]))
        #expect(abs(opt.lastGradNorm - 5) < 1e-9)
        let w = out["w"]!.scalars
        #expect(abs(w[0] + 0.6) < 1e-5 && abs(w[1] + 0.8) < 1e-5)
    }

    @Test func schedules() {
        #expect(Schedule.constant.factor(at: 100) == 1)
        #expect(Schedule.warmup(steps: 4).factor(at: 1) == 0.25)
        #expect(Schedule.warmup(steps: 4).factor(at: 9) == 1)
        #expect(Schedule.linear(warmup: 2, total: 12).factor(at: 7) == 0.5)
        let c = Schedule.cosine(warmup: 0, total: 10, minFactor: 0.1)
        #expect(abs(c.factor(at: 5) - 0.55) < 1e-12)
        #expect(abs(c.factor(at: 10) - 0.1) < 1e-12 && abs(c.factor(at: 50) - 0.1) < 1e-12)
    }

    @Test func functionalAdamwMatchesFusedAndIsDifferentiable() throws {
        let p = try Self.one([1, -2, 3])
        let g = try Self.one([0.5, 0.1, -0.3])
        let opt = try Optimizer(OptimizerConfig(kind: .adamw, lr: 0.05, weightDecay: 0.02))
        var fused = p, fstate = try AdamState(zerosLike: p)
        var functional = p
        for _ in 0..<3 {
            fused = try fused.applying(opt.step(params: fused, grads: g))
            (functional, fstate) = try adamwStep(functional, g, state: fstate, lr: 0.05, weightDecay: 0.02)
        }
        #expect(maxAbsDiff(fused["w"]!, functional["w"]!) < 1e-6)
        // d/dlr of an SGD step through a loss: L(θ − lr g) with L = Σθ² → −2⟨θ', g⟩.
        let theta = try Self.one([1, 2]), grad = try Self.one([0.5, 0.5])
        let d = try Autodiff.grad(at: [Tensor.scalar(0.1)]) { xs in
            let upd = try theta.zip(grad) { _, t, gg in try sub(t, mul(gg, xs[0])) }
            return try sum(mul(upd["w"]!, upd["w"]!))
        }
        #expect(abs(try d[0].item() - (-2 * (0.95 * 0.5 + 1.95 * 0.5))) < 1e-5)
        let s = try sgdStep(theta, grad, lr: 0.1)
        #expect(s["w"]!.scalars == [0.95, 1.95])
    }
}
