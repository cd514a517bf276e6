import Testing
@testable import TensorCore

/// A backward pass on two threads queues linear layers' weight and bias gradients for the
/// kernel worker (`DeferredWork`) and goes on: the gradients are the one-thread pass's bit
/// for bit, including when the pass itself reads a queued gradient, and no queued work
/// outlives the pass, even one that throws.
@Suite struct DeferredWorkTests {
    /// Gradients of `f` at `xs` on `threads` kernel threads, as bit patterns.
    func gradientBits(_ xs: [Tensor], threads: Int, _ f: ([Tensor]) throws -> Tensor) throws -> [[UInt32]] {
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        Kernels.threads = threads
        let grads = try Autodiff.grad(at: xs, f)
        #expect(AD.state.deferred.isEmpty, "queued work outlived the backward pass")
        #expect(grads.allSatisfy { !$0.storage.pendingWrite })
        return grads.map { $0.scalars.map(\.bitPattern) }
    }

    /// A layer norm and three linear layers with GELU between them (queued: the norm's gain
    /// and bias gradients, the layers' weight and bias gradients); the first weight is used
    /// twice (its two queued gradients are summed inside the pass) and the last is derived
    /// from a parameter (its queued gradient is the cotangent of `mul`, whose rule reads it).
    @Test func gradientsMatchOneThreadBitForBit() throws {
        var fx = Fixture(seed: 41)
        let x = fx.normal([8, 64, 128]), w1 = fx.normal([128, 256], std: 0.1), b1 = fx.normal([256])
        let w2 = fx.normal([256, 128], std: 0.1), b2 = fx.normal([128]), w3 = fx.normal([256, 128], std: 0.1)
        let gain = fx.normal([128]), shift = fx.normal([128])
        let f: ([Tensor]) throws -> Tensor = { p in
            let h = try gelu(linear(layerNormAffine(p[0], p[6], p[7]), p[1], p[2]))
            let h2 = try gelu(linear(linear(h, p[3], p[4]), p[1], p[2]))
            let z = try linear(h2, mul(p[5], 0.5))
            return try sum(mul(z, z))
        }
        let inputs = [x, w1, b1, w2, b2, w3, gain, shift]
        let one = try gradientBits(inputs, threads: 1, f)
        let two = try gradientBits(inputs, threads: 2, f)
        #expect(one.count == 8)
        for i in 0..<8 {
            let differing = zip(one[i], two[i]).filter { $0 != $1 }.count
            #expect(one[i].count == two[i].count && differing == 0, "gradient \(i): \(differing) values differ between one and two threads")
        }
    }

    /// The bias gradient queued in the background is the column sum of the cotangent.
    @Test func biasGradientIsTheColumnSum() throws {
        var fx = Fixture(seed: 42)
        let x = fx.normal([1024, 128]), w = fx.normal([128, 96]), b = fx.normal([96]), u = fx.normal([1024, 96])
        let want = try sum(u, axes: [0]).scalars.map(\.bitPattern)
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        for threads in [1, 2] {
            Kernels.threads = threads
            let (_, back) = try Autodiff.vjp(at: [x, w, b]) { p in try linear(p[0], p[1], p[2]) }
            #expect(try back(u)[2].scalars.map(\.bitPattern) == want, "\(threads) threads")
        }
    }

    /// A backward rule that throws after a linear layer queued its gradients: the pass
    /// waits for them before the error leaves it.
    @Test func aThrowingPassLeavesNoQueuedWork() throws {
        final class Seen { var queued = -1 }
        struct FailingBackward: Primitive {
            let seen: Seen
            var name: String { "failing_backward" }
            func forward(_ x: [Tensor]) throws(TensorError) -> Tensor { Tensor(shape: x[0].shape, storage: x[0].storage) }
            func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
                seen.queued = AD.state.deferred.count  // the linear layer's gradients, still queued
                throw TensorError(name, "no backward")
            }
            func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? { nil }
        }
        var fx = Fixture(seed: 43)
        let x = fx.normal([512, 128]), w = fx.normal([128, 128]), b = fx.normal([128])
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        Kernels.threads = 2
        let seen = Seen()
        #expect(throws: TensorError.self) {
            try Autodiff.grad(at: [x, w, b]) { p in try sum(linear(apply(FailingBackward(seen: seen), [p[0]]), p[1], p[2])) }
        }
        // (Nothing is queued on a one-core machine: no worker.)
        #expect(seen.queued == (WorkerPool.shared.acceptsDeferredJobs ? 2 : 0), "the weight and bias gradients should be queued when the rule throws")
        #expect(AD.state.deferred.isEmpty)
    }
}
