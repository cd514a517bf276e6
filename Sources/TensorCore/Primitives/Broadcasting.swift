/// The loop behind every broadcasting elementwise op: walks the output in row-major
/// order with each input's (possibly zero) strides; the innermost axis runs as a tight
/// loop specialised for contiguous / broadcast inputs.
@inline(__always)
func broadcastLoop(_ a: Tensor, _ b: Tensor, _ outShape: [Int], _ f: (Float, Float) -> Float) -> Tensor {
    let out = Tensor(uninitialized: outShape)
    let o = out.storage.pointer, pa = a.storage.pointer, pb = b.storage.pointer
    let n = out.count
    if n == 0 { return out }
    if a.shape == outShape && b.shape == outShape {
        for i in 0..<n { o[i] = f(pa[i], pb[i]) }
        return out
    }
    if b.count == 1 && a.shape == outShape {
        let s = pb[0]
        for i in 0..<n { o[i] = f(pa[i], s) }
        return out
    }
    if a.count == 1 && b.shape == outShape {
        let s = pa[0]
        for i in 0..<n { o[i] = f(s, pb[i]) }
        return out
    }
    let rank = outShape.count
    let sa = Shape.broadcastStrides(a.shape, to: outShape)
    let sb = Shape.broadcastStrides(b.shape, to: outShape)
    let inner = outShape[rank - 1]
    let ia = sa[rank - 1], ib = sb[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var offA = 0, offB = 0, offO = 0
    while offO < n {
        let qa = pa + offA, qb = pb + offB, qo = o + offO
        if ia == 1 && ib == 1 {
            for j in 0..<inner { qo[j] = f(qa[j], qb[j]) }
        } else if ia == 1 && ib == 0 {
            let s = qb[0]
            for j in 0..<inner { qo[j] = f(qa[j], s) }
        } else if ia == 0 && ib == 1 {
            let s = qa[0]
            for j in 0..<inner { qo[j] = f(s, qb[j]) }
        } else {
            for j in 0..<inner { qo[j] = f(qa[j * ia], qb[j * ib]) }
        }
        offO += inner
        // Advance the outer multi-index (odometer over axes 0..<rank-1).
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            offA += sa[axis]
            offB += sb[axis]
            if index[axis] < outShape[axis] { break }
            offA -= sa[axis] * outShape[axis]
            offB -= sb[axis] * outShape[axis]
            index[axis] = 0
            axis -= 1
        }
    }
    return out
}

/// Sums `g` down to `shape` (the adjoint of broadcasting `shape` up to `g.shape`).
func sumTo(_ g: Tensor, _ shape: [Int]) throws(TensorError) -> Tensor {
    if g.shape == shape { return g }
    let lead = g.rank - shape.count
    var axes: [Int] = Array(0..<lead)
    for (i, d) in shape.enumerated() where d == 1 && g.shape[i + lead] != 1 { axes.append(i + lead) }
    let s = try sum(g, axes: axes, keepDims: false)
    return try reshape(s, shape)
}
