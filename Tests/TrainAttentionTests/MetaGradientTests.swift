import Testing
import TensorCore
@testable import TrainAttention

/// A small differentiable world for the meta-gradient: a bigram language model θ = (E, W)
/// learns from a document; the task asks for the object token after a cue; φ weights
/// the document's tokens through per-token features.
struct ToyMetaProblem {
    let vocab = 11, dim = 6, n = 9
    let theta: [Tensor]
    let phi: [Tensor]
    let features: Tensor
    let doc: [Int32]
    let task: [Int32]
    let mask: Tensor

    init(seed: UInt64, padding: Int = 0) {
        let (v, d, n) = (11, 6, 9)
        var rng = TaalmRNG(seed: seed)
        theta = [try! Tensor.randomNormal([v, d], std: 0.5, rng: &rng), try! Tensor.randomNormal([d, v], std: 0.5, rng: &rng)]
        phi = [try! Tensor.randomNormal([4], std: 0.5, rng: &rng)]
        features = try! Tensor.randomNormal([n - 1, 4], rng: &rng)
        var tokens: [Int32] = []
        for _ in 0..<n { tokens.append(Int32(rng.nextInt(below: v))) }
        doc = tokens
        task = [tokens[2], tokens[3], Int32(rng.nextInt(below: v))]
        mask = try! Tensor(shape: [1, n - 1], values: (0..<(n - 1)).map { $0 < n - 1 - padding ? 1 : 0 })
    }

    /// Per-position next-token losses of a sequence under θ.
    static func losses(_ th: [Tensor], _ seq: [Int32]) throws -> Tensor {
        let inputs = try IndexTensor(seq.dropLast().map(Int.init))
        let targets = try IndexTensor(seq.dropFirst().map(Int.init))
        return try crossEntropy(matmul(gather(th[0], inputs), th[1]), targets)
    }

    var unit: MetaUnit {
        let doc = doc, task = task
        let n = self.n
        return MetaUnit(tokenLosses: { th in try reshape(Self.losses(th, doc), [1, n - 1]) },
                        taskLoss: { th in try Self.losses(th, task).sum() },
                        mask: mask)
    }

    var weights: ([Tensor]) throws -> Tensor {
        let f = features
        let n = self.n
        return { ph in try reshape(sigmoid(add(matmul(f, ph[0]), 4)), [1, n - 1]) }
    }

    /// L_meta(φ) computed directly (no gradients of φ), for finite differences.
    func metaLoss(_ ph: [Tensor], inner: InnerStep) throws -> Double {
        let w = try weights(ph)
        var th = theta
        var moments: [InnerStep.Moments]? = nil
        if inner.warmup, case .adamw = inner.rule {
            let g0 = try Autodiff.grad(at: th) { t in try weightedLoss(unit, t, w, eps: 1e-8) }
            (th, moments) = try inner.warmupStep(th, g0)
        }
        let g = try Autodiff.grad(at: th) { t in try weightedLoss(unit, t, w, eps: 1e-8) }
        let next = try zip(th, g).enumerated().map { i, pair in try inner.apply(pair.0, pair.1, moments?[i]) }
        return Double(try unit.taskLoss(next).item())
    }
}

@Suite struct MetaGradientTests {
    static let inners: [InnerStep] = [.sgd(lr: 0.3), .adamw(lr: 0.05, weightDecay: 0.01, warmup: true), .adamw(lr: 0.05, warmup: false)]

    @Test(arguments: [1, 2, 3] as [UInt64])
    func engineAgreesWithFiniteDifferences(seed: UInt64) throws {
        let p = ToyMetaProblem(seed: seed, padding: Int(seed % 2) * 2)
        for inner in Self.inners {
            let r = try MetaGradients.compute(engine: .secondOrder, phi: p.phi, theta: p.theta, unit: p.unit, weights: p.weights, inner: inner)
            var rng = TaalmRNG(seed: seed + 50)
            let v = try Tensor.randomNormal([4], rng: &rng)
            let e: Float = 1e-2
            let plus = try p.metaLoss([try add(p.phi[0], mul(v, e))], inner: inner)
            let minus = try p.metaLoss([try sub(p.phi[0], mul(v, e))], inner: inner)
            let fd = (plus - minus) / (2 * Double(e))
            let an = zip(r.grads[0].scalars, v.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(Swift.abs(fd - an) <= 2e-3 + 3e-2 * Swift.abs(fd), "\(inner): finite differences \(fd) vs second-order \(an)")
            #expect(Swift.abs(Double(r.metaLoss) - (try p.metaLoss(p.phi, inner: inner))) < 1e-4)
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func forwardEngineMatchesSecondOrder(seed: UInt64) throws {
        let p = ToyMetaProblem(seed: seed, padding: Int(seed % 2) * 3)
        for inner in Self.inners {
            let a = try MetaGradients.compute(engine: .secondOrder, phi: p.phi, theta: p.theta, unit: p.unit, weights: p.weights, inner: inner)
            let b = try MetaGradients.compute(engine: .forward, phi: p.phi, theta: p.theta, unit: p.unit, weights: p.weights, inner: inner)
            #expect(Swift.abs(a.metaLoss - b.metaLoss) < 1e-5)
            let scale = a.grads[0].scalars.map { Swift.abs($0) }.max() ?? 1
            for (x, y) in zip(a.grads[0].scalars, b.grads[0].scalars) {
                #expect(Swift.abs(x - y) <= 1e-4 + 1e-3 * scale, "\(inner): second-order \(x) vs forward \(y)")
            }
            // Padding positions get no meta-gradient.
            if let dw = b.weightGrads {
                for (g, m) in zip(dw.scalars, p.mask.scalars) where m == 0 { #expect(g == 0) }
            }
        }
    }

    @Test func forwardMetaGradientIsTheAlignmentIdentity() throws {
        // For plain SGD and un-normalised weights, ∂L/∂w_i = -α⟨∇θ' L_meta, ∇θ ℓ_i⟩; with the
        // normalised loss the forward engine gives (s_k - Σ w_i s_i / S) / S with s = -α⟨g, ∇ℓ⟩.
        let p = ToyMetaProblem(seed: 9)
        let alpha: Float = 0.2
        let r = try MetaGradients.compute(engine: .forward, phi: p.phi, theta: p.theta, unit: p.unit, weights: p.weights, inner: .sgd(lr: alpha))
        let w = try p.weights(p.phi)
        let G = try Autodiff.grad(at: p.theta) { t in try weightedLoss(p.unit, t, w, eps: 1e-8) }
        let thetaPrime = try zip(p.theta, G).map { try sub($0, mul(alpha, $1)) }
        let g = try Autodiff.grad(at: thetaPrime) { t in try p.unit.taskLoss(t) }
        var s: [Double] = []
        for i in 0..<(p.n - 1) {
            let gi = try Autodiff.grad(at: p.theta) { t in try takeLast(p.unit.tokenLosses(t), IndexTensor([i])).sum() }
            s.append(-Double(alpha) * zip(g, gi).reduce(0.0) { acc, pair in acc + zip(pair.0.scalars, pair.1.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } })
        }
        let ws = zip(w.scalars, p.mask.scalars).map { Double($0 * $1) }
        let S = ws.reduce(0, +) + 1e-8
        let mean = zip(ws, s).reduce(0.0) { $0 + $1.0 * $1.1 } / S
        let expected = s.map { ($0 - mean) / S }
        for (x, y) in zip(r.weightGrads?.scalars ?? [], expected) { #expect(Swift.abs(Double(x) - y) < 1e-5) }
    }

    @Test func severalInnerStepsNeedTheSecondOrderEngine() throws {
        let p = ToyMetaProblem(seed: 4)
        #expect(throws: TensorError.self) {
            try MetaGradients.compute(engine: .forward, phi: p.phi, theta: p.theta, unit: p.unit, weights: p.weights, inner: .sgd(lr: 0.1), innerSteps: 2)
        }
        let two = try MetaGradients.compute(engine: .secondOrder, phi: p.phi, theta: p.theta, unit: p.unit, weights: p.weights, inner: .sgd(lr: 0.1), innerSteps: 2)
        #expect(two.grads[0].shape == [4])
    }
}
