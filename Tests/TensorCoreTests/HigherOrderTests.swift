import Foundation
import Testing
@testable import TensorCore

/// Second-order checks that the meta-learning code relies on: MAML in closed form,
/// gradients through an AdamW step, grad of grad, and nesting without perturbation confusion.
@Suite struct HigherOrderTests {
    @Test func gradOfGradOfCube() throws {
        // f(x) = x³ → f'(x) = 3x², f''(x) = 6x.
        let x = Tensor.scalar(1.5)
        let second = try Autodiff.grad(at: [x]) { xs in
            try Autodiff.grad(at: xs) { ys in try mul(ys[0], mul(ys[0], ys[0])) }[0]
        }[0]
        #expect(Swift.abs(try second.item() - 9) < 1e-5)
    }

    @Test func mamlScalarMetaLossMatchesClosedForm() throws {
        // Inner loss L1(w) = (w·x1 - y1)², one SGD step w' = w - α L1'(w);
        // meta-loss L2(w') = (w'·x2 - y2)²; dL2/dw = 2 x2 (w' x2 - y2) (1 - 2 α x1²).
        let (x1, y1, x2, y2, alpha, w0): (Float, Float, Float, Float, Float, Float) = (1.3, 0.4, -0.7, 2.0, 0.1, 0.8)
        let w = Tensor.scalar(w0)
        let (value, grads) = try Autodiff.valueAndGrad(at: [w]) { ws in
            let inner = try Autodiff.grad(at: ws) { v in
                let r = try sub(mul(v[0], x1), y1)
                return try mul(r, r)
            }[0]
            let w1 = try sub(ws[0], mul(alpha, inner))
            let r2 = try sub(mul(w1, x2), y2)
            return try mul(r2, r2)
        }
        let w1 = w0 - alpha * 2 * x1 * (w0 * x1 - y1)
        let expectedLoss = (w1 * x2 - y2) * (w1 * x2 - y2)
        let expectedGrad = 2 * x2 * (w1 * x2 - y2) * (1 - 2 * alpha * x1 * x1)
        #expect(Swift.abs(try value.item() - expectedLoss) < 1e-5)
        #expect(Swift.abs(try grads[0].item() - expectedGrad) < 1e-5)
    }

    /// AdamW's step number `t` from moments (m0, v0), bias-corrected, written with
    /// differentiable ops. From zero moments the update is ≈ sign(g), flat in g; with
    /// non-zero moments it depends smoothly on g, so a meta-gradient flows through g.
    static func adamwStep(_ w: Tensor, _ g: Tensor, m0: Tensor, v0: Tensor, t: Int, lr: Float, wd: Float) throws -> Tensor {
        let (b1, b2, eps): (Float, Float, Float) = (0.9, 0.999, 1e-8)
        let m = try add(mul(b1, m0), mul(1 - b1, g)), v = try add(mul(b2, v0), mul(1 - b2, mul(g, g)))
        let mhat = try div(m, 1 - Foundation.pow(b1, Float(t))), vhat = try div(v, 1 - Foundation.pow(b2, Float(t)))
        let update = try add(div(mhat, add(sqrt(vhat), eps)), mul(wd, w))
        return try sub(w, mul(lr, update))
    }

    @Test func gradientThroughAnAdamWStepMatchesFiniteDifferences() throws {
        var fx = Fixture(seed: 11)
        let x1 = fx.normal([6, 5]), y1 = fx.normal([6]), x2 = fx.normal([4, 5]), y2 = fx.normal([4])
        // The second step of a run: moments of the scale the first step's gradient leaves.
        let m0 = fx.normal([5], std: 0.1), v0 = fx.uniform([5], 5e-4, 2e-3)
        // Inner: least squares on (x1, y1); one AdamW step; outer: least squares on (x2, y2).
        // `detachInner` cuts the path through the inner gradient g (a first-order meta-gradient).
        func metaLoss(_ w: Tensor, detachInner: Bool = false) throws -> Tensor {
            let g = try Autodiff.grad(at: [w]) { ws in
                let r = try sub(matmul(x1, ws[0]), y1)
                return try mean(mul(r, r))
            }[0]
            let w1 = try Self.adamwStep(w, detachInner ? g.detach() : g, m0: m0, v0: v0, t: 2, lr: 0.2, wd: 0.01)
            let r2 = try sub(matmul(x2, w1), y2)
            return try mean(mul(r2, r2))
        }
        let w = fx.normal([5])
        let grad = try Autodiff.grad(at: [w]) { ws in try metaLoss(ws[0]) }[0]
        let firstOrder = try Autodiff.grad(at: [w]) { ws in try metaLoss(ws[0], detachInner: true) }[0]
        // The path through g carries a real part of the meta-gradient.
        let through = try sub(grad, firstOrder)
        let norm = dot(grad, grad).squareRoot(), throughNorm = dot(through, through).squareRoot()
        #expect(throughNorm > 0.1 * norm, "through-g part \(throughNorm) of a meta-gradient of norm \(norm)")
        // Finite differences (which see every path) agree with the full meta-gradient,
        // along random directions and along the through-g part, where the first-order
        // meta-gradient is off.
        let e: Float = 1e-2
        func fd(_ v: Tensor) throws -> Double {
            (Double(try metaLoss(axpy(w, e, v)).item()) - Double(try metaLoss(axpy(w, -e, v)).item())) / (2 * Double(e))
        }
        for v in [fx.normal([5]), fx.normal([5]), fx.normal([5]), through] {
            let f = try fd(v)
            #expect(close(f, dot(grad, v), rtol: 2e-2, atol: 1e-3), "finite differences \(f) vs reverse \(dot(grad, v))")
        }
        let f = try fd(through)
        #expect(!close(f, dot(firstOrder, through), rtol: 0.1, atol: 1e-3), "finite differences \(f) vs first-order \(dot(firstOrder, through))")
    }

    @Test func nestedGradDoesNotConfuseThePerturbations() throws {
        // d/dx [ x · (d/dy (x·y))|_{y=x} ] = d/dx [x · x] = 2x  (not 3x, the confused answer).
        let x = Tensor.scalar(2)
        let g = try Autodiff.grad(at: [x]) { xs in
            let inner = try Autodiff.grad(at: [xs[0]]) { ys in try mul(xs[0], ys[0]) }[0]
            return try mul(xs[0], inner)
        }[0]
        #expect(try g.item() == 4)
    }

    @Test func jvpOfGradIsHessianVectorProduct() throws {
        // f(x) = Σ x_i³ → H = diag(6x); H·v = 6 x ⊙ v.
        let x = Tensor([1, -2, 0.5]), v = Tensor([0.3, 1, -2])
        let (_, hv) = try Autodiff.jvp(at: [x], tangents: [v]) { xs in
            try Autodiff.grad(at: xs) { ys in try sum(mul(ys[0], mul(ys[0], ys[0]))) }[0]
        }
        #expect(maxAbsDiff(hv, Tensor([1.8, -12, -6])) < 1e-5)
    }

    @Test func gradOfJvpDifferentiatesTheTangent() throws {
        // jvp of f(x) = x² along v is 2x·v; its gradient in x is 2v.
        let x = Tensor([1, 2]), v = Tensor([3, -1])
        let g = try Autodiff.grad(at: [x]) { xs in
            try sum(Autodiff.jvp(at: xs, tangents: [v]) { ys in try mul(ys[0], ys[0]) }.tangent)
        }[0]
        #expect(g.scalars == [6, -2])
    }

    @Test func nestedJvpIsAClearError() throws {
        let x = Tensor([1])
        #expect(throws: TensorError.self) {
            try Autodiff.jvp(at: [x], tangents: [x]) { xs in
                try Autodiff.jvp(at: xs, tangents: xs) { ys in ys[0] }.tangent
            }
        }
    }
}
