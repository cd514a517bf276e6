import Foundation
import TensorCore

/// The update rule of an optimizer.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// SGD with optional momentum (PyTorch's form: b ← μb + g, θ ← θ − lr·b) and L2 decay.
    case sgd
    /// Adam with L2 weight decay added to the gradient.
    case adam
    /// Adam with decoupled weight decay (θ ← θ − lr·wd·θ before the Adam step).
    case adamw
}

/// Hyper-parameters of an optimizer.
public struct OptimizerConfig: Codable, Equatable, Sendable, CustomStringConvertible {
    public var kind: OptimizerKind
    public var lr: Double
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public var weightDecay: Double
    public var momentum: Double
    /// Clip gradients to this global L2 norm before the update (nil = no clipping).
    public var clipNorm: Double?
    public var schedule: Schedule

    public init(kind: OptimizerKind, lr: Double, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                weightDecay: Double? = nil, momentum: Double = 0, clipNorm: Double? = nil, schedule: Schedule = .constant) {
        self.kind = kind; self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
        self.weightDecay = weightDecay ?? (kind == .adamw ? 0.01 : 0)
        self.momentum = momentum; self.clipNorm = clipNorm; self.schedule = schedule
    }

    public static func sgd(lr: Double, momentum: Double = 0, weightDecay: Double = 0) -> OptimizerConfig {
        OptimizerConfig(kind: .sgd, lr: lr, weightDecay: weightDecay, momentum: momentum)
    }
    public static func adam(lr: Double, weightDecay: Double = 0) -> OptimizerConfig { OptimizerConfig(kind: .adam, lr: lr, weightDecay: weightDecay) }
    public static func adamw(lr: Double, weightDecay: Double = 0.01) -> OptimizerConfig { OptimizerConfig(kind: .adamw, lr: lr, weightDecay: weightDecay) }

    public func validate() throws(NNError) {
        guard lr >= 0, lr.isFinite else { throw .invalidConfig("learning rate must be ≥ 0 and finite, got \(lr)") }
        guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1 else { throw .invalidConfig("betas must be in [0, 1), got \(beta1), \(beta2)") }
        guard eps >= 0, eps.isFinite else { throw .invalidConfig("eps must be ≥ 0, got \(eps)") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw .invalidConfig("weight decay must be ≥ 0, got \(weightDecay)") }
        guard momentum >= 0, momentum < 1 else { throw .invalidConfig("momentum must be in [0, 1), got \(momentum)") }
        if let c = clipNorm { guard c > 0, c.isFinite else { throw .invalidConfig("clip norm must be positive, got \(c)") } }
        try schedule.validate()
    }

    public var description: String {
        var s = "\(kind.rawValue)(lr \(lr)"
        if kind != .sgd { s += ", betas (\(beta1), \(beta2)), eps \(eps)" }
        if momentum > 0 { s += ", momentum \(momentum)" }
        if weightDecay > 0 { s += ", weight decay \(weightDecay)" }
        if let c = clipNorm { s += ", clip \(c)" }
        if schedule != .constant { s += ", \(schedule)" }
        return s + ")"
    }
}

/// An optimizer: one update rule applied to every parameter, with per-parameter state
/// you can inspect (`state(of:)`: Adam's `m`/`v`, SGD's `momentum`).
///
/// `step(params:grads:)` returns the updated parameters for the paths in `grads` (the
/// others are not touched); it runs outside any autodiff graph with fused kernels. For
/// differentiating through an update, use `sgdStep`/`adamwStep` instead.
public final class Optimizer: CustomStringConvertible, @unchecked Sendable {
    public let config: OptimizerConfig
    /// Number of updates taken so far.
    public private(set) var stepCount = 0
    /// The global gradient norm before clipping, at the last step.
    public private(set) var lastGradNorm: Double = 0
    private var moments: [String: (m: Tensor, v: Tensor)] = [:]
    private var buffers: [String: Tensor] = [:]

    public init(_ config: OptimizerConfig) throws(NNError) {
        try config.validate()
        self.config = config
    }

    /// The learning rate the next step will use.
    public var currentLearningRate: Double { config.lr * config.schedule.factor(at: stepCount + 1) }

    /// The state of one parameter by name (`m`, `v` for Adam; `momentum` for SGD).
    public func state(of path: String) -> [String: Tensor] {
        var s: [String: Tensor] = [:]
        if let mv = moments[path] { s["m"] = mv.m; s["v"] = mv.v }
        if let b = buffers[path] { s["momentum"] = b }
        return s
    }

    /// Paths that have state.
    public var statePaths: [String] { Array(Set(moments.keys).union(buffers.keys)).sorted() }

    /// Forgets all state and the step count.
    public func reset() { moments = [:]; buffers = [:]; stepCount = 0; lastGradNorm = 0 }

    /// One update: clips `grads` (if configured), then applies the rule to each path in
    /// `grads`. Returns the updated tensors for those paths.
    public func step(params: ParameterSet, grads: ParameterSet) throws(NNError) -> ParameterSet {
        var pairs: [(String, Tensor, Tensor)] = []
        for (path, g) in grads.entries {
            guard let p = params[path] else { throw .parameter("gradient for '\(path)', which is not a parameter") }
            guard p.shape == g.shape else {
                throw .parameter("gradient for '\(path)' has shape \(shapeString(g.shape)), the parameter \(shapeString(p.shape))")
            }
            pairs.append((path, p, g))
        }
        let norm = globalNorm(grads.tensors)
        guard norm.isFinite else { throw .nonFiniteGradient(step: stepCount + 1) }
        lastGradNorm = norm
        var gscale: Float = 1
        if let c = config.clipNorm, norm > c { gscale = Float(c / (norm + 1e-6)) }
        stepCount += 1
        let t = stepCount
        let lr = Float(config.lr * config.schedule.factor(at: t))
        let wd = Float(config.weightDecay)
        var out = ParameterSet()
        var adamJobs: [AdamJob] = []
        var replaced: [Tensor] = []
        for (path, p, g) in pairs {
            let n = p.count
            let np = try nn { try Tensor.empty(p.shape) }  // every element written below
            let P = p.storage.pointer, G = g.storage.pointer, O = np.storage.pointer
            switch config.kind {
            case .sgd:
                let mu = Float(config.momentum)
                if mu > 0 {
                    let nb = try nn { try Tensor.empty(p.shape) }
                    let B = nb.storage.pointer
                    if let old = buffers[path] {
                        let Ob = old.storage.pointer
                        for i in 0..<n { B[i] = mu * Ob[i] + (G[i] * gscale + wd * P[i]) }
                    } else {
                        for i in 0..<n { B[i] = G[i] * gscale + wd * P[i] }
                    }
                    for i in 0..<n { O[i] = P[i] - lr * B[i] }
                    buffers[path] = nb
                } else {
                    for i in 0..<n { O[i] = P[i] - lr * (G[i] * gscale + wd * P[i]) }
                }
            case .adam, .adamw:
                let nm = try nn { try Tensor.empty(p.shape) }, nv = try nn { try Tensor.empty(p.shape) }
                let M = nm.storage.pointer, V = nv.storage.pointer
                let old = moments[path]
                if let old { replaced += [old.m, old.v] }  // read by the kernel below
                adamJobs.append(AdamJob(n: n, p: P, g: G, m0: old?.m.storage.pointer ?? M, v0: old?.v.storage.pointer ?? V,
                                        fresh: old == nil, out: O, m: M, v: V))
                moments[path] = (nm, nv)
            }
            out[path] = np
        }
        if !adamJobs.isEmpty { runAdam(adamJobs, step: t, gscale: gscale, lr: lr, wd: wd) }
        withExtendedLifetime(replaced) {}
        return out
    }

    /// One parameter's Adam/AdamW update: where to read and write (the tensors are kept
    /// alive by the caller until the update has run).
    struct AdamJob {
        var n: Int
        var p, g, m0, v0: UnsafePointer<Float>
        var fresh: Bool
        var out, m, v: UnsafeMutablePointer<Float>
    }

    /// Runs every parameter's update as one parallel job over fixed 16K-element chunks
    /// (most parameters are smaller than a worthwhile chunk on their own, so a job per
    /// parameter would run them one thread at a time). Elementwise, so the result does
    /// not depend on the thread count.
    private func runAdam(_ jobs: [AdamJob], step t: Int, gscale: Float, lr: Float, wd: Float) {
        let b1 = Float(config.beta1), b2 = Float(config.beta2), eps = Float(config.eps)
        let c1 = 1 / (1 - Float(Foundation.pow(config.beta1, Double(t)))), c2 = 1 / (1 - Float(Foundation.pow(config.beta2, Double(t))))
        let decoupled = config.kind == .adamw
        let chunk = 1 << 14
        var pieces: [(job: Int, start: Int)] = []
        for (j, job) in jobs.enumerated() {
            var s = 0
            while s < job.n { pieces.append((j, s)); s += chunk }
        }
        nonisolated(unsafe) let jobs = jobs
        let total = jobs.reduce(0) { $0 + $1.n }
        Kernels.parallelFor(chunks: pieces.count, threads: total < 1 << 16 ? 1 : nil) { i in
            let (j, s) = pieces[i]
            let job = jobs[j], len = Swift.min(chunk, job.n - s)
            Self.adamKernel(n: len, p: job.p + s, g: job.g + s, m0: job.m0 + s, v0: job.v0 + s, fresh: job.fresh,
                            out: job.out + s, m: job.m + s, v: job.v + s,
                            gscale: gscale, lr: lr, wd: wd, decoupled: decoupled, b1: b1, b2: b2, c1: c1, c2: c2, eps: eps)
        }
    }

    public var description: String { "Optimizer \(config), \(stepCount) steps taken" }

    /// The fused Adam/AdamW update over one parameter, 16 lanes at a time. `fresh`: the
    /// old moments are zero (first step) and `m0`/`v0` are not read.
    static func adamKernel(n: Int, p: UnsafePointer<Float>, g: UnsafePointer<Float>, m0: UnsafePointer<Float>, v0: UnsafePointer<Float>,
                           fresh: Bool, out: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                           gscale: Float, lr: Float, wd: Float, decoupled: Bool,
                           b1: Float, b2: Float, c1: Float, c2: Float, eps: Float) {
        typealias V = SIMD16<Float>
        let l2: Float = decoupled ? 0 : wd
        let keep: Float = decoupled ? 1 - lr * wd : 1
        @inline(__always) func lane(_ pi: V, _ gi0: V, _ mo: V, _ vo: V) -> (V, V, V) {
            let gi = gi0 * gscale + l2 * pi
            let mi = b1 * mo + (1 - b1) * gi
            let vi = b2 * vo + (1 - b2) * gi * gi
            let upd = (mi * c1) / ((vi * c2).squareRoot() + eps)
            return (pi * keep - lr * upd, mi, vi)
        }
        var i = 0
        while i + 16 <= n {
            let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self), gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let mo = fresh ? V() : UnsafeRawPointer(m0 + i).loadUnaligned(as: V.self)
            let vo = fresh ? V() : UnsafeRawPointer(v0 + i).loadUnaligned(as: V.self)
            let (o, mi, vi) = lane(pi, gi, mo, vo)
            UnsafeMutableRawPointer(out + i).storeBytes(of: o, as: V.self)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            i += 16
        }
        while i < n {
            let gi = g[i] * gscale + l2 * p[i]
            let mi = b1 * (fresh ? 0 : m0[i]) + (1 - b1) * gi
            let vi = b2 * (fresh ? 0 : v0[i]) + (1 - b2) * gi * gi
            m[i] = mi; v[i] = vi
            out[i] = p[i] * keep - lr * (mi * c1) / ((vi * c2).squareRoot() + eps)
            i += 1
        }
    }
}

/// The global L2 norm of a list of tensors (accumulated in Double).
public func globalNorm(_ ts: [Tensor]) -> Double {
    var s = 0.0
    for t in ts {
        let p = t.storage.pointer, n = t.count
        var i = 0
        // Blocks of 1024 summed in 16 Float lanes, blocks combined in Double (fixed order).
        while i < n {
            let end = Swift.min(i + 1024, n)
            var acc = SIMD16<Float>()
            var tail: Float = 0
            while i + 16 <= end {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
                acc = acc.addingProduct(v, v)
                i += 16
            }
            while i < end { tail += p[i] * p[i]; i += 1 }
            s += Double(acc.sum()) + Double(tail)
        }
    }
    return s.squareRoot()
}

/// Gradients scaled down so their global norm is at most `maxNorm` (unchanged if below).
public func clipByGlobalNorm(_ grads: ParameterSet, maxNorm: Double) throws(NNError) -> (grads: ParameterSet, norm: Double) {
    guard maxNorm > 0 else { throw .invalidConfig("clip norm must be positive, got \(maxNorm)") }
    let norm = globalNorm(grads.tensors)
    guard norm > maxNorm else { return (grads, norm) }
    let s = Float(maxNorm / (norm + 1e-6))
    return (try grads.map { _, g in try mul(g, s) }, norm)
}
