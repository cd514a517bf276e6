/// Bridges from the primitives to the vectorised kernels in `Kernels/`: the
/// transcendental maps and the fused row ops (softmax, layer norm, cross-entropy).
extension Kernels {
    typealias MapKernel = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

    @inline(__always)
    static func map(_ x: Tensor, _ kernel: MapKernel) -> Tensor {
        let y = Tensor(uninitialized: x.shape)
        kernel(x.storage.pointer, y.storage.pointer, x.count)
        return y
    }

    static func mapExp(_ x: Tensor) -> Tensor { map(x) { exp($0, $1, count: $2) } }
    static func mapLog(_ x: Tensor) -> Tensor { map(x) { log($0, $1, count: $2) } }
    static func mapTanh(_ x: Tensor) -> Tensor { map(x) { tanh($0, $1, count: $2) } }
    static func mapSigmoid(_ x: Tensor) -> Tensor { map(x) { sigmoid($0, $1, count: $2) } }
    static func mapGelu(_ x: Tensor) -> Tensor { map(x) { gelu($0, $1, count: $2) } }
    static func mapGeluGrad(_ x: Tensor) -> Tensor { map(x) { geluGrad($0, $1, count: $2) } }
    static func mapRelu(_ x: Tensor) -> Tensor { map(x) { relu($0, $1, count: $2) } }
    static func mapSqrt(_ x: Tensor) -> Tensor { map(x) { sqrt($0, $1, count: $2) } }
    static func mapNeg(_ x: Tensor) -> Tensor { map(x) { neg($0, $1, count: $2) } }

    /// Row-wise softmax (or log-softmax) of a rows×cols matrix.
    static func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, log: Bool) {
        guard cols > 0 else { return }
        if log { logSoftmaxRows(x, y, rows: rows, cols: cols) } else { softmaxRows(x, y, rows: rows, cols: cols) }
    }

    /// Row-wise (x - mean) / sqrt(var + eps).
    static func layerNormRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float) {
        let stats = UnsafeMutablePointer<Float>.allocate(capacity: 2 * Swift.max(rows, 1))
        defer { stats.deallocate() }
        layerNormRows(x, y, rows: rows, cols: cols, eps: eps, mean: stats, rstd: stats + rows)
    }

    /// Row-wise logsumexp(x) - x[target].
    static func crossEntropyRows(_ x: UnsafePointer<Float>, _ targets: [Int32], _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        logsumexpRows(x, y, rows: rows, cols: cols)
        for r in 0..<rows { y[r] -= x[r * cols + Int(targets[r])] }
    }
}
