import TensorCore
@testable import NN

/// Random tensors for tests.
struct Fixture {
    var rng: TaalmRNG
    init(seed: UInt64) { rng = TaalmRNG(seed: seed) }
    mutating func normal(_ shape: [Int], std: Float = 1) -> Tensor {
        (try? Tensor.randomNormal(shape, std: std, rng: &rng)) ?? Tensor.scalar(0)
    }
}

func dot(_ a: Tensor, _ b: Tensor) -> Double {
    let p = a.storage.pointer, q = b.storage.pointer
    var s = 0.0
    for i in 0..<min(a.count, b.count) { s += Double(p[i]) * Double(q[i]) }
    return s
}

func close(_ a: Double, _ b: Double, rtol: Double, atol: Double) -> Bool {
    abs(a - b) <= atol + rtol * max(abs(a), abs(b))
}

func maxAbsDiff(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Directional check of reverse-mode gradients of a scalar function of a parameter set
/// against central differences: ⟨∇f, v⟩ vs (f(θ+hv) − f(θ−hv)) / 2h, for random v.
func gradientCheck(_ params: ParameterSet, seed: UInt64 = 7, h: Float = 2e-3,
                   _ f: (ParameterSet) throws -> Tensor) throws -> (analytic: Double, numeric: Double) {
    let paths = params.paths
    let grads = try Autodiff.grad(at: params.tensors) { xs in
        try f(ParameterSet(Array(zip(paths, xs))))
    }
    var fx = Fixture(seed: seed)
    let vs = params.tensors.map { fx.normal($0.shape) }
    let analytic = zip(grads, vs).reduce(0.0) { $0 + dot($1.0, $1.1) }
    func shifted(_ s: Float) throws -> ParameterSet {
        try ParameterSet(zip(paths, zip(params.tensors, vs)).map { p, tv in (p, try add(tv.0, mul(tv.1, s))) })
    }
    let fp = try Autodiff.withoutGrad { Double(try f(try shifted(h)).item()) }
    let fm = try Autodiff.withoutGrad { Double(try f(try shifted(-h)).item()) }
    return (analytic, (fp - fm) / (2 * Double(h)))
}

/// A small synthetic fact world: "name lives in city ." sentences.
enum Facts {
    static let names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
    static let cities = ["paris", "rome", "oslo", "lima", "cairo", "tokyo", "quito", "delhi"]
    static var sentences: [String] { zip(names, cities).map { "\($0) lives in \($1) ." } }
}
