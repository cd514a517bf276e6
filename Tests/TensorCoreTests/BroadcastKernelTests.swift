import Testing
@testable import TensorCore

/// The row-repeat / row-spread fast paths of binary ops give bit-for-bit the values of the
/// generic broadcast loop, in both operand orders and at both thread counts.
@Test("broadcast fast paths match the generic loop bit for bit")
func broadcastFastPathsMatchGenericLoop() throws {
    var fx = Fixture(seed: 11)
    // (full, small) pairs: repeats ([.., E] with [E]) and spreads ([R, C] with [R, 1]),
    // sizes off the 16-lane grid, large enough to use threads, and a scalar.
    let pairs: [([Int], [Int])] = [
        ([4, 5, 17], [17]), ([4, 5, 17], [1, 1, 17]), ([4, 5, 17], [5, 17]), ([3, 33], [3, 1]),
        ([2, 3, 4, 5], [2, 3, 1, 1]), ([1, 3, 4], [1, 3, 1]), ([300, 257], [257]),
        ([300, 257], [300, 1]), ([7, 9], [1]), ([6, 40], [1, 1]),
    ]
    for (fullShape, smallShape) in pairs {
        let full = fx.normal(fullShape), small = fx.awayFromZero(smallShape, gap: 0.5)
        #expect(Kernels.broadcastRun(smallShape, to: fullShape) != nil, "\(smallShape) → \(fullShape) takes the fast path")
        for kind in [BinaryKind.add, .sub, .mul, .div] {
            let f: (Float, Float) -> Float
            switch kind {
            case .add: f = { $0 + $1 }
            case .sub: f = { $0 - $1 }
            case .mul: f = { $0 * $1 }
            default: f = { $0 / $1 }
            }
            for (a, b) in [(full, small), (small, full)] {
                let want = broadcastLoop(a, b, fullShape, f).scalars
                let got = try binary(kind, a, b)
                #expect(got.shape == fullShape)
                #expect(got.scalars.map(\.bitPattern) == want.map(\.bitPattern), "\(kind) \(a.shape) ⊕ \(b.shape)")
            }
        }
        // The kernels themselves, for every lane operation, on one and two threads.
        for (a, b) in [(full, small), (small, full)] {
            let swapped = a.shape != fullShape
            try expectKernel(AddOp(), { $0 + $1 }, a, b, full, small, fullShape, swapped)
            try expectKernel(SubOp(), { $0 - $1 }, a, b, full, small, fullShape, swapped)
            try expectKernel(MulOp(), { $0 * $1 }, a, b, full, small, fullShape, swapped)
            try expectKernel(DivOp(), { $0 / $1 }, a, b, full, small, fullShape, swapped)
            try expectKernel(MaxOp(), { $1 > $0 ? $1 : $0 }, a, b, full, small, fullShape, swapped)
        }
    }
    // Broadcasts that are neither pattern fall back to the generic loop.
    #expect(Kernels.broadcastRun([3, 1], to: [2, 3, 4]) == nil)
    #expect(Kernels.broadcastRun([1, 3, 1], to: [2, 3, 4]) == nil)
    #expect(Kernels.broadcastRun([1, 4, 1], to: [3, 4, 4]) == nil)
}

/// zipRepeating / zipSpreading with `op` on one and two threads give bit for bit the
/// generic broadcast loop's values with the scalar `f`.
func expectKernel<Op: VectorZip>(_ op: Op, _ f: (Float, Float) -> Float, _ a: Tensor, _ b: Tensor,
                                 _ full: Tensor, _ small: Tensor, _ fullShape: [Int], _ swapped: Bool) throws {
    let want = broadcastLoop(a, b, fullShape, f).scalars.map(\.bitPattern)
    let run = try #require(Kernels.broadcastRun(small.shape, to: fullShape))
    for t in [1, 2] {
        let out = try Tensor.empty(fullShape)
        let pf = full.storage.pointer, ps = small.storage.pointer, o = out.storage.pointer
        switch run {
        case .repeating(let p): Kernels.zipRepeating(pf, ps, o, count: out.count, period: p, swapped: swapped, threads: t, op)
        case .spreading(let i): Kernels.zipSpreading(pf, ps, o, count: out.count, inner: i, swapped: swapped, threads: t, op)
        }
        #expect(out.scalars.map(\.bitPattern) == want, "\(Op.self) \(a.shape) ⊕ \(b.shape), \(t) threads")
    }
}
