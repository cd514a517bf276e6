import Testing
@testable import TensorCore

/// Slices with any step (up to Int.max) and index tensors that never wrap an id.
@Suite struct SliceAndIndexTests {
    @Test func sliceLengthIsExactForEveryStep() {
        // ⌈(end − start) / step⌉, as numpy's len(range(start, end, step)).
        for (start, end, step, want) in [(0, 5, 1, 5), (0, 5, 2, 3), (0, 5, 3, 2), (0, 5, 5, 1), (0, 5, 6, 1),
                                         (1, 10, 3, 3), (3, 3, 1, 0), (4, 2, 1, 0), (0, Int.max, 1, Int.max),
                                         (0, Int.max, Int.max, 1), (0, Int.max, Int.max - 2, 2), (1, Int.max, Int.max, 1),
                                         (Int.max - 1, Int.max, Int.max, 1)] {
            #expect(SlicePrim(axis: 0, start: start, end: end, step: step).length == want, "\(start)..<\(end) step \(step)")
        }
    }

    @Test func hugeStepsTakeTheFirstElement() throws {
        let x = Tensor([10, 11, 12, 13, 14])
        for step in [5, 6, Int.max - 2, Int.max] {
            #expect(try slice(x, axis: 0, start: 0, end: 5, step: step).scalars == [10], "step \(step)")
            #expect(try slice(x, axis: 0, start: 2, end: Int.max, step: step).scalars == [12], "from 2, step \(step)")
        }
        #expect(try slice(x, axis: 0, start: 0, end: 5, step: 2).scalars == [10, 12, 14])
        #expect(try slice(x, axis: 0, start: -4, end: 5, step: 3).scalars == [11, 14])
        #expect(try slice(x, axis: 0, start: 3, end: 3, step: Int.max).shape == [0])
        let m = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(try slice(m, axis: 1, start: 1, end: 3, step: Int.max).scalars == [2, 5])
        // The adjoint (pad) puts the gradient back at the one element taken.
        let g = try Autodiff.grad(at: [x]) { xs in try sum(mul(slice(xs[0], axis: 0, start: 1, end: 5, step: Int.max), 7)) }[0]
        #expect(g.scalars == [0, 7, 0, 0, 0])
    }

    @Test func nonPositiveStepsAreErrors() {
        let x = Tensor([1, 2, 3])
        #expect(throws: TensorError("slice", "step must be ≥ 1, got -1")) { try slice(x, axis: 0, start: 2, end: 0, step: -1) }
        #expect(throws: TensorError("slice", "step must be ≥ 1, got 0")) { try slice(x, axis: 0, start: 0, end: 3, step: 0) }
        #expect(throws: TensorError("slice", "step must be ≥ 1, got \(Int.min)")) { try slice(x, axis: 0, start: 0, end: 3, step: .min) }
    }

    @Test func indexTensorRejectsIdsOutsideInt32() throws {
        #expect(throws: TensorError("index tensor", "index 2147483648 at position 0 does not fit in 32 bits (-2147483648...2147483647)")) {
            try IndexTensor([Int(Int32.max) + 1])
        }
        // 2^32 + 1 used to wrap to the valid id 1 and silently pick row 1.
        #expect(throws: TensorError("index tensor", "index 4294967297 at position 2 does not fit in 32 bits (-2147483648...2147483647)")) {
            try gather(Tensor.zeros([3, 2]), IndexTensor([0, 1, (1 << 32) + 1]))
        }
        #expect(throws: TensorError("index tensor", "index -2147483649 at position 1 does not fit in 32 bits (-2147483648...2147483647)")) {
            try IndexTensor([0, Int(Int32.min) - 1])
        }
        let edge = try IndexTensor([Int(Int32.max), Int(Int32.min), 0])
        #expect(edge.values == [Int32.max, Int32.min, 0])
        #expect(edge.shape == [3])
        #expect(try IndexTensor([]).shape == [0])
    }
}
