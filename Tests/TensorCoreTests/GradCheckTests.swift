import Testing
@testable import TensorCore

/// The generic checker: every primitive against central finite differences, JVP against
/// VJP, and second order (Hessian-vector products) against finite differences of gradients.
@Suite struct GradCheckTests {
    /// φ(x) = ⟨u, f(x)⟩ evaluated in Double.
    static func phi(_ c: PrimitiveCase, _ xs: [Tensor], _ u: Tensor) throws -> Double {
        dot(try c.f(xs), u)
    }

    /// The names of the primitives recorded in the graphs behind `roots`.
    static func recordedPrimitives(_ roots: [Tensor]) -> Set<String> {
        var names: Set<String> = [], seen: Set<ObjectIdentifier> = [], stack = roots
        while let t = stack.popLast() {
            guard seen.insert(ObjectIdentifier(t)).inserted, let node = t.node else { continue }
            names.insert(node.primitive.name)
            stack += node.inputs
        }
        return names
    }

    /// Coverage is read from what each case really applies (its recorded graph), not from
    /// its label: a registered primitive no case applies fails, and so does a primitive
    /// that a case, its backward pass or its forward-mode rule applies but the registry
    /// does not list (an unregistered primitive the checker would never see).
    @Test(arguments: [1, 2] as [UInt64])
    func everyRegisteredPrimitiveIsCovered(seed: UInt64) throws {
        var applied: Set<String> = [], derivatives: Set<String> = []
        for c in primitiveCases(seed: seed) {
            let xs = c.inputs.map(Autodiff.input)
            let y = try c.f(xs)
            let names = Self.recordedPrimitives([y])
            #expect(names.contains(c.primitive), "case \(c.primitive) \(c.label) applies only \(names.sorted())")
            applied.formUnion(names)
            // Seed and tangents are differentiation inputs too, so every op of the
            // derivative rules is recorded (also those linear in the seed alone).
            let seedLeaf = Autodiff.input(try Tensor.full(y.shape, 1))
            let grads = try Autodiff.backward(y, seed: seedLeaf, wrt: xs, createGraph: true)
            let tangents = try c.inputs.map { x throws in Autodiff.input(try Tensor.full(x.shape, 1)) }
            let tangent = try Autodiff.jvp(at: xs, tangents: tangents) { try c.f($0) }.tangent
            derivatives.formUnion(Self.recordedPrimitives(grads + [tangent]))
        }
        let registry = Set(Primitives.registry)
        #expect(Primitives.registry.count == registry.count, "the registry lists a name twice")
        let missing = registry.subtracting(applied)
        #expect(missing.isEmpty, "primitives without a gradient check: \(missing.sorted())")
        let unknown = applied.union(derivatives).subtracting(registry)
        #expect(unknown.isEmpty, "primitives applied but not registered: \(unknown.sorted())")
        // The derivative rules compose registered primitives (and the walk sees them).
        #expect(derivatives.isSuperset(of: ["scatter_add", "put_last", "pad", "softmax_jacobian", "layer_norm_jacobian", "cross_entropy_grad", "gelu_backward"]))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func reverseModeMatchesFiniteDifferences(seed: UInt64) throws {
        for c in primitiveCases(seed: seed) {
            var fx = Fixture(seed: seed &+ 100)
            let y = try c.f(c.inputs)
            let u = fx.normal(y.shape)
            let grads = try Autodiff.grad(at: c.inputs) { xs in try sum(mul(c.f(xs), u)) }
            for (i, x) in c.inputs.enumerated() {
                let v = fx.normal(x.shape)
                var plus = c.inputs, minus = c.inputs
                plus[i] = axpy(x, c.eps, v)
                minus[i] = axpy(x, -c.eps, v)
                let fd = (try Self.phi(c, plus, u) - Self.phi(c, minus, u)) / (2 * Double(c.eps))
                let an = dot(grads[i], v)
                #expect(close(fd, an, rtol: 2e-2, atol: 2e-3), "\(c.primitive) \(c.label) input \(i): finite differences \(fd) vs reverse \(an)")
            }
        }
    }

    @Test(arguments: [4, 5] as [UInt64])
    func forwardModeAgreesWithReverseMode(seed: UInt64) throws {
        for c in primitiveCases(seed: seed) {
            var fx = Fixture(seed: seed &+ 200)
            let y = try c.f(c.inputs)
            let u = fx.normal(y.shape)
            let vs = c.inputs.map { fx.normal($0.shape) }
            let (value, tangent) = try Autodiff.jvp(at: c.inputs, tangents: vs, c.f)
            #expect(maxAbsDiff(value, y) == 0, "\(c.primitive) \(c.label): jvp changed the value")
            let grads = try Autodiff.grad(at: c.inputs) { xs in try sum(mul(c.f(xs), u)) }
            let viaJvp = dot(u, tangent)
            let viaVjp = zip(grads, vs).reduce(0.0) { $0 + dot($1.0, $1.1) }
            #expect(close(viaJvp, viaVjp, rtol: 1e-4, atol: 1e-4), "\(c.primitive) \(c.label): ⟨u, Jv⟩ \(viaJvp) vs ⟨Jᵀu, v⟩ \(viaVjp)")
        }
    }

    @Test func linearizeGivesTheValuesOfVjpAndJvpFromOneRecording() throws {
        for c in primitiveCases(seed: 8) {
            var fx = Fixture(seed: 208)
            let y = try c.f(c.inputs)
            let u = fx.normal(y.shape)
            let vs = c.inputs.map { fx.normal($0.shape) }
            let (value, pullback, pushforward) = try Autodiff.linearize(at: c.inputs, c.f)
            #expect(maxAbsDiff(value, y) == 0, "\(c.primitive) \(c.label): linearize changed the value")
            let jvp = try Autodiff.jvp(at: c.inputs, tangents: vs, c.f).tangent
            let vjp = try Autodiff.vjp(at: c.inputs, c.f).pullback(u)
            #expect(maxAbsDiff(try pushforward(vs), jvp) == 0, "\(c.primitive) \(c.label): pushforward differs from jvp")
            #expect(maxAbsDiff(try pushforward(vs), jvp) == 0, "\(c.primitive) \(c.label): a second pushforward differs")
            for (g, h) in zip(try pullback(u), vjp) {
                #expect(maxAbsDiff(g, h) == 0, "\(c.primitive) \(c.label): pullback differs from vjp")
            }
        }
    }

    @Test(arguments: [6, 7] as [UInt64])
    func hessianVectorProductsMatchFiniteDifferencesOfGradients(seed: UInt64) throws {
        for c in primitiveCases(seed: seed) {
            var fx = Fixture(seed: seed &+ 300)
            let y = try c.f(c.inputs)
            // A smooth outer function makes second derivatives non-trivial even for linear ops.
            let u = fx.normal(y.shape)
            let loss: ([Tensor]) throws -> Tensor = { xs in try sum(mul(tanh(c.f(xs)), u)) }
            let gradient: ([Tensor]) throws -> [Tensor] = { xs in try Autodiff.grad(at: xs, loss) }
            let v = c.inputs.map { fx.normal($0.shape) }
            let w = c.inputs.map { fx.normal($0.shape) }
            // Reverse over reverse: ∇ₓ ⟨∇φ(x), w⟩ · v
            let hw = try Autodiff.grad(at: c.inputs) { xs in
                let g = try gradient(xs)
                var total = try Tensor.zeros([])
                for (gi, wi) in zip(g, w) { total = try add(total, sum(mul(gi, wi))) }
                return total
            }
            let reverse = zip(hw, v).reduce(0.0) { $0 + dot($1.0, $1.1) }
            // Forward over reverse: ⟨jvp(∇φ)(x; v), w⟩
            var forward = 0.0
            for i in c.inputs.indices {
                let (_, t) = try Autodiff.jvp(at: c.inputs, tangents: v) { xs in try gradient(xs)[i] }
                forward += dot(t, w[i])
            }
            // Finite differences of the gradient along v.
            let e = c.eps
            let gp = try gradient(zip(c.inputs, v).map { axpy($0, e, $1) })
            let gm = try gradient(zip(c.inputs, v).map { axpy($0, -e, $1) })
            let fd = zip(zip(gp, gm), w).reduce(0.0) { acc, pair in acc + (dot(pair.0.0, pair.1) - dot(pair.0.1, pair.1)) / (2 * Double(e)) }
            #expect(close(fd, reverse, rtol: 3e-2, atol: 5e-3), "\(c.primitive) \(c.label): HVP reverse-over-reverse \(reverse) vs finite differences \(fd)")
            #expect(close(forward, reverse, rtol: 1e-3, atol: 1e-3), "\(c.primitive) \(c.label): HVP forward-over-reverse \(forward) vs reverse-over-reverse \(reverse)")
        }
    }
}
