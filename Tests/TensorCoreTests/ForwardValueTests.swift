import Foundation
import Testing
@testable import TensorCore

/// Forward values of the primitives the gradient checker only sees through derivatives:
/// index ops, pow, maximum/minimum, every comparison, broadcasting where, and the
/// seeded random tensors.
@Suite struct ForwardValueTests {
    let m = try! Tensor(shape: [2, 3], values: [1, 5, 3, 4, 2, 6])
    let row = Tensor([2, 5, 3])

    @Test func gatherPicksRowsInIdOrder() throws {
        let table = try Tensor(shape: [3, 2], values: [0, 1, 10, 11, 20, 21])
        let y = try gather(table, IndexTensor(shape: [2, 2], values: [2, 0, 1, 2]))
        #expect(y.shape == [2, 2, 2])
        #expect(y.scalars == [20, 21, 0, 1, 10, 11, 20, 21])
        #expect(try gather(Tensor([7, 8, 9]), IndexTensor([2, 2, 0])).scalars == [9, 9, 7])
        #expect(try gather(table, IndexTensor([])).shape == [0, 2])
    }

    @Test func scatterAddSumsRepeatedIds() throws {
        let src = try Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        let y = try scatterAdd(src, IndexTensor([2, 0, 2]), rows: 4)
        #expect(y.shape == [4, 2])
        #expect(y.scalars == [3, 4, 0, 0, 6, 8, 0, 0])
        #expect(throws: TensorError("scatter_add", "index 4 is out of range 0..<4")) { try scatterAdd(src, IndexTensor([0, 4, 1]), rows: 4) }
        #expect(throws: TensorError("scatter_add", "source [3, 2] does not start with the index shape [2]")) { try scatterAdd(src, IndexTensor([0, 1]), rows: 4) }
        #expect(throws: TensorError("scatter_add", "row count must be ≥ 0, got -1")) { try scatterAdd(src, IndexTensor([0, 1, 2]), rows: -1) }
    }

    @Test func takeLastAndPutLast() throws {
        let idx = try IndexTensor([1, 2])
        #expect(try takeLast(m, idx).scalars == [5, 6])
        #expect(try putLast(Tensor([7, 8]), idx, classes: 3).scalars == [0, 7, 0, 0, 0, 8])
        #expect(throws: TensorError("put_last", "class count must be ≥ 0, got -2")) { try putLast(Tensor([7, 8]), idx, classes: -2) }
    }

    @Test func powBroadcasts() throws {
        let y = try pow(m, Tensor([2, 0.5, -1]))
        let want: [Double] = [1, 5.0.squareRoot(), 1.0 / 3, 16, 2.0.squareRoot(), 1.0 / 6]
        #expect(y.shape == [2, 3])
        #expect(zip(y.scalars, want).allSatisfy { close(Double($0), $1, rtol: 1e-6, atol: 0) }, "\(y.scalars)")
        #expect(try pow(Tensor([2, 3]), 3).scalars == [8, 27])
        #expect(try pow(Tensor.scalar(2), Tensor([0, 1, 10])).scalars == [1, 2, 1024])
        #expect(try pow(Tensor([-8]), Tensor.scalar(1.0 / 3)).scalars[0].isNaN)
    }

    @Test func maximumAndMinimumBroadcast() throws {
        #expect(try maximum(m, row).scalars == [2, 5, 3, 4, 5, 6])
        #expect(try minimum(m, row).scalars == [1, 5, 3, 2, 2, 3])
        #expect(try maximum(m, Tensor.scalar(3.5)).scalars == [3.5, 5, 3.5, 4, 3.5, 6])
        #expect(try minimum(Tensor([-1, 1]), Tensor([0])).scalars == [-1, 0])
    }

    @Test func everyComparisonBroadcastsIncludingTies() throws {
        // m = [[1, 5, 3], [4, 2, 6]] against the row [2, 5, 3] (ties at 5 and 3).
        let want: [CompareKind: [Float]] = [
            .lt: [1, 0, 0, 0, 1, 0], .le: [1, 1, 1, 0, 1, 0], .gt: [0, 0, 0, 1, 0, 1],
            .ge: [0, 1, 1, 1, 0, 1], .eq: [0, 1, 1, 0, 0, 0], .ne: [1, 0, 0, 1, 1, 1],
        ]
        for k in CompareKind.allCases {
            let y = try compare(k, m, row)
            #expect(y.shape == [2, 3])
            #expect(y.scalars == want[k], "\(k)")
        }
        // NaN compares false except under ne.
        for k in CompareKind.allCases {
            #expect(try compare(k, Tensor([.nan]), Tensor([1])).scalars == [k == .ne ? 1 : 0], "\(k) with NaN")
        }
        #expect(throws: TensorError("lt", "shapes [2, 3] and [2] cannot be broadcast together")) { try compare(.lt, m, Tensor([1, 2])) }
    }

    @Test func whereBroadcastsAllThree() throws {
        let cond = try Tensor(shape: [2, 1], values: [1, 0])
        let y = try select(cond, row, Tensor.scalar(-1))
        #expect(y.shape == [2, 3])
        #expect(y.scalars == [2, 5, 3, -1, -1, -1])
        let z = try select(compare(.gt, m, 2.5), m, row)
        #expect(z.scalars == [2, 5, 3, 4, 5, 6])
        #expect(throws: TensorError("where", "shapes [2, 3] and [2] cannot be broadcast together")) { try select(m, Tensor([1, 2]), row) }
    }

    @Test func seededRandomTensorsRepeat() throws {
        var a = TaalmRNG(seed: 7), b = TaalmRNG(seed: 7), c = TaalmRNG(seed: 8)
        let u1 = try Tensor.randomUniform([64], low: -1, high: 2, rng: &a), u2 = try Tensor.randomUniform([64], low: -1, high: 2, rng: &b)
        let n1 = try Tensor.randomNormal([64], mean: 3, std: 0.5, rng: &a), n2 = try Tensor.randomNormal([64], mean: 3, std: 0.5, rng: &b)
        #expect(u1.scalars == u2.scalars)
        #expect(n1.scalars == n2.scalars)
        #expect(u1.scalars != (try Tensor.randomUniform([64], low: -1, high: 2, rng: &c)).scalars)
        #expect(u1.scalars.allSatisfy { $0 >= -1 && $0 < 2 })
        // The streams themselves are fixed (xoshiro256** seeded by SplitMix64), on every machine.
        var r = TaalmRNG(seed: 7)
        let u = try Tensor.randomUniform([3], rng: &r).scalars, n = try Tensor.randomNormal([3], rng: &r).scalars
        #expect(u == [0.7005765, 0.27875122, 0.83962744])
        #expect(n == [0.19504021, 0.48413947, -1.7483113])
    }
}
