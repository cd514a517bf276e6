/// Reductions over axes: sum and max (mean, logsumexp, var are composed from these).
enum ReduceKind: String { case sum, max }

/// Reduces one contiguous block of axes [lo, hi) of `x`, keeping them as size-1 axes.
/// Viewed as [outer, r, inner]; fixed accumulation order, so results never depend on threads.
func reduceBlock(_ x: Tensor, _ lo: Int, _ hi: Int, _ kind: ReduceKind) -> Tensor {
    let outer = x.shape[..<lo].reduce(1, *)
    let r = x.shape[lo..<hi].reduce(1, *)
    let inner = x.shape[hi...].reduce(1, *)
    var outShape = x.shape
    for i in lo..<hi { outShape[i] = 1 }
    let y = Tensor(uninitialized: outShape)
    let p = x.storage.pointer, o = y.storage.pointer
    let initial: Float = kind == .sum ? 0 : -.infinity
    if inner == 1 {
        for i in 0..<outer {
            let row = p + i * r
            o[i] = kind == .sum ? rowSum(row, r) : rowMax(row, r, initial)
        }
        return y
    }
    if kind == .sum {
        for i in 0..<outer { Kernels.sumColumns(p + i * r * inner, o + i * inner, rows: r, cols: inner) }
        return y
    }
    for i in 0..<outer {
        let dst = o + i * inner
        dst.initialize(repeating: initial, count: inner)
        for k in 0..<r {
            let src = p + (i * r + k) * inner
            for j in 0..<inner where src[j] > dst[j] || src[j].isNaN { dst[j] = src[j] }
        }
    }
    return y
}

/// Sum of a contiguous row: 16 independent lanes, combined in a fixed order.
@inline(__always)
func rowSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>(repeating: 0)
    var i = 0
    while i + 16 <= n {
        acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    var s = acc.sum()
    while i < n { s += p[i]; i += 1 }
    return s
}

@inline(__always)
func rowMax(_ p: UnsafePointer<Float>, _ n: Int, _ initial: Float) -> Float {
    var m = initial
    for i in 0..<n where p[i] > m || p[i].isNaN { m = p[i] }
    return m
}

/// Reduces `axes` (sorted, unique) of `x`; the result keeps them as size-1 axes.
func reduceAxes(_ x: Tensor, _ axes: [Int], _ kind: ReduceKind) -> Tensor {
    var result = x
    // Group adjacent axes into blocks and reduce each block, last block first.
    var blocks: [(Int, Int)] = []
    for a in axes {
        if let last = blocks.last, last.1 == a { blocks[blocks.count - 1].1 = a + 1 } else { blocks.append((a, a + 1)) }
    }
    for (lo, hi) in blocks.reversed() { result = reduceBlock(result, lo, hi, kind) }
    if axes.isEmpty { result = Tensor(shape: x.shape, storage: x.storage) }
    return result
}

struct ReducePrim: Primitive {
    let kind: ReduceKind
    /// Sorted, unique, non-negative axes.
    let axes: [Int]
    let keepDims: Bool
    var name: String { kind.rawValue }

    func outputShape(_ shape: [Int]) -> [Int] {
        var s: [Int] = []
        for (i, d) in shape.enumerated() {
            if axes.contains(i) { if keepDims { s.append(1) } } else { s.append(d) }
        }
        return s
    }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        if kind == .max {
            for ax in axes where a.shape[ax] == 0 {
                throw TensorError("max", "cannot take the max over an empty axis \(ax) of shape \(shapeString(a.shape))")
            }
        }
        let r = reduceAxes(a, axes, kind)
        return Tensor(shape: outputShape(a.shape), storage: r.storage)
    }

    /// The output-shaped tensor `t` reshaped with size-1 axes where reduced.
    func keptShape(_ t: Tensor, _ inputShape: [Int]) throws(TensorError) -> Tensor {
        var s = inputShape
        for a in axes { s[a] = 1 }
        return try reshape(t, s)
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        let a = x[0]
        let gk = try expand(keptShape(g, a.shape), a.shape)
        switch kind {
        case .sum: return [gk]
        case .max:
            let mask = try compare(.eq, a, keptShape(y, a.shape))
            let ties = try expand(sum(mask, axes: axes, keepDims: true), a.shape)
            return [try div(mul(gk, mask), ties)]
        }
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let ta = t[0] else { return nil }
        switch kind {
        case .sum: return try sum(ta, axes: axes, keepDims: keepDims)
        case .max:
            let a = x[0]
            let mask = try compare(.eq, a, keptShape(y, a.shape))
            let picked = try sum(mul(ta, mask), axes: axes, keepDims: keepDims)
            return try div(picked, sum(mask, axes: axes, keepDims: keepDims))
        }
    }
}
