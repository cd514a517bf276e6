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

    /// One AdamW step from zero moments (bias-corrected), written with differentiable ops.
    static func adamwStep(_ w: Tensor, _ g: Tensor, lr: Float, wd: Float) throws -> Tensor {
        let (b1, b2, eps): (Float, Float, Float) = (0.9, 0.999, 1e-8)
        let m = try mul(1 - b1, g), v = try mul(1 - b2, mul(g, g))
        let mhat = try div(m, 1 - b1), vhat = try div(v, 1 - b2)
        let update = try add(div(mhat, add(sqrt(vhat), eps)), mul(wd, w))
        return try sub(w, mul(lr, update))
    }

    @Test func gradientThroughAnAdamWStepMatchesFiniteDifferences() throws {
        var fx = Fixture(seed: 11)
        let x1 = fx.normal([6, 5]), y1 = fx.normal([6]), x2 = fx.normal([4, 5]), y2 = fx.normal([4])
        // Inner: least squares on (x1, y1); a smooth surrogate on the update (tanh) so the
        // meta-loss depends smoothly on w; outer: least squares on (x2, y2).
        func metaLoss(_ w: Tensor) throws -> Tensor {
            let g = try Autodiff.grad(at: [w]) { ws in
                let r = try sub(matmul(x1, ws[0]), y1)
                return try mean(mul(r, r))
            }[0]
            let w1 = try Self.adamwStep(w, tanh(mul(g, 3)), lr: 0.05, wd: 0.01)
            let r2 = try sub(matmul(x2, w1), y2)
            return try mean(mul(r2, r2))
        }
        let w = fx.normal([5])
        let grad = try Autodiff.grad(at: [w]) { ws in try metaLoss(ws[0]) }[0]
        for _ in 0..<3 {
            let v = fx.normal([5])
            let e: Float = 1e-2
            let fd = (Double(try metaLoss(axpy(w, e, v)).item()) - Double(try metaLoss(axpy(w, -e, v)).item())) / (2 * Double(e))
            #expect(close(fd, dot(grad, v), rtol: 2e-2, atol: 1e-3), "finite differences \(fd) vs reverse \(dot(grad, v))")
        }
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
