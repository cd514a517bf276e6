import Foundation

/// Fused kernels behind the row primitives (softmax, layer norm, cross-entropy) and the
/// transcendental maps.
extension Kernels {
    static func mapExp(_ x: Tensor) -> Tensor { mapUnary(x) { Foundation.exp($0) } }
    static func mapTanh(_ x: Tensor) -> Tensor { mapUnary(x) { Foundation.tanh($0) } }
    static func mapSigmoid(_ x: Tensor) -> Tensor {
        mapUnary(x) { v in v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v)) }
    }
    static func mapGelu(_ x: Tensor) -> Tensor { mapUnary(x) { geluScalar($0) } }

    /// Row-wise softmax (or log-softmax) of a rows×cols matrix, max-shifted.
    static func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        guard cols > 0 else { return }
        for r in 0..<rows {
            let src = x + r * cols, dst = y + r * cols
            let m = rowMax(src, cols, -.infinity)
            let shift: Float = m.isFinite ? m : 0
            var s: Float = 0
            for j in 0..<cols { let e = Foundation.exp(src[j] - shift); dst[j] = e; s += e }
            if log {
                let ls = Foundation.log(s) + shift
                for j in 0..<cols { dst[j] = src[j] - ls }
            } else {
                let inv = 1 / s
                for j in 0..<cols { dst[j] *= inv }
            }
        }
    }

    /// Row-wise (x - mean) / sqrt(var + eps).
    static func layerNormRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float) {
        let n = Float(cols)
        for r in 0..<rows {
            let src = x + r * cols, dst = y + r * cols
            let mu = rowSum(src, cols) / n
            var v: Float = 0
            for j in 0..<cols { let d = src[j] - mu; v += d * d }
            let rstd = 1 / (v / n + eps).squareRoot()
            for j in 0..<cols { dst[j] = (src[j] - mu) * rstd }
        }
    }

    /// Row-wise logsumexp(x) - x[target].
    static func crossEntropyRows(_ x: UnsafePointer<Float>, _ targets: [Int32], _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let src = x + r * cols
            let m = rowMax(src, cols, -.infinity)
            let shift: Float = m.isFinite ? m : 0
            var s: Float = 0
            for j in 0..<cols { s += Foundation.exp(src[j] - shift) }
            y[r] = Foundation.log(s) + shift - src[Int(targets[r])]
        }
    }
}
