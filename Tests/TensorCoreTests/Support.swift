import Foundation
@testable import TensorCore

/// Tests that set the process-wide `Kernels.threads` hold this lock while they do, so
/// two of them never change it under each other (suites run in parallel). Results never
/// depend on the thread count, so other tests need not hold it; only assertions about
/// what a given count does (work queued for the worker, for example) do.
enum KernelThreads {
    static let lock = NSRecursiveLock()
}

/// Shared helpers for the core's tests: seeded inputs, Double inner products, comparisons.
struct Fixture {
    var rng: TaalmRNG
    init(seed: UInt64) { rng = TaalmRNG(seed: seed) }

    mutating func normal(_ shape: [Int], std: Float = 1) -> Tensor {
        try! Tensor.randomNormal(shape, std: std, rng: &rng)
    }
    mutating func uniform(_ shape: [Int], _ lo: Float, _ hi: Float) -> Tensor {
        try! Tensor.randomUniform(shape, low: lo, high: hi, rng: &rng)
    }
    /// Values at least `gap` away from zero.
    mutating func awayFromZero(_ shape: [Int], gap: Float = 0.2) -> Tensor {
        let t = uniform(shape, gap, 1.5)
        let signs = uniform(shape, -1, 1)
        return try! Tensor(shape: shape, values: zip(t.scalars, signs.scalars).map { $1 < 0 ? -$0 : $0 })
    }
    /// Distinct values offset + k·gap for integer k (no ties), shuffled.
    mutating func distinct(_ shape: [Int], gap: Float = 0.1, offset: Float = 0) -> Tensor {
        let n = Shape.count(shape)
        var v = (0..<n).map { Float($0 - n / 2) * gap + offset }
        for i in stride(from: n - 1, to: 0, by: -1) { v.swapAt(i, rng.nextInt(below: i + 1)) }
        return try! Tensor(shape: shape, values: v)
    }
    mutating func indices(_ shape: [Int], below n: Int) -> IndexTensor {
        try! IndexTensor(shape: shape, values: (0..<Shape.count(shape)).map { _ in Int32(rng.nextInt(below: n)) })
    }
}

/// Σ a·b in Double.
func dot(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// a + s·b as a plain value.
func axpy(_ a: Tensor, _ s: Float, _ b: Tensor) -> Tensor {
    try! Tensor(shape: a.shape, values: zip(a.scalars, b.scalars).map { $0 + s * $1 })
}

func close(_ a: Double, _ b: Double, rtol: Double, atol: Double) -> Bool {
    Swift.abs(a - b) <= atol + rtol * Swift.max(Swift.abs(a), Swift.abs(b))
}

func maxAbsDiff(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
}
