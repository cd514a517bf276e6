/// Reductions over axes (nil = all axes; negative axes count from the end).

public func sum(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let ax = try Shape.axes(axes, rank: x.rank, op: "sum")
    return try apply(ReducePrim(kind: .sum, axes: ax, keepDims: keepDims), [x])
}

public func max(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let ax = try Shape.axes(axes, rank: x.rank, op: "max")
    return try apply(ReducePrim(kind: .max, axes: ax, keepDims: keepDims), [x])
}

public func min(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
    try neg(max(neg(x), axes: axes, keepDims: keepDims))
}

public func mean(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let ax = try Shape.axes(axes, rank: x.rank, op: "mean")
    let n = ax.reduce(1) { $0 * x.shape[$1] }
    guard n > 0 else { throw TensorError("mean", "mean over an empty axis of \(shapeString(x.shape))") }
    return try div(sum(x, axes: ax, keepDims: keepDims), Float(n))
}

/// Population variance over axes.
public func variance(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let c = try sub(x, mean(x, axes: axes, keepDims: true))
    return try mean(mul(c, c), axes: axes, keepDims: keepDims)
}

/// log Σ exp(x) over axes, stable: the max is subtracted (as a constant) first.
public func logsumexp(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let ax = try Shape.axes(axes, rank: x.rank, op: "logsumexp")
    let m = try max(x, axes: ax, keepDims: true).detach()
    let finiteM = try select(compare(.eq, abs(m), .infinity), Tensor.scalar(0), m)
    let s = try add(log(sum(exp(sub(x, finiteM)), axes: ax, keepDims: true)), finiteM)
    if keepDims { return s }
    return try reshape(s, x.shape.enumerated().filter { !ax.contains($0.offset) }.map(\.element))
}

extension Tensor {
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
        try TensorCore.sum(self, axes: axes, keepDims: keepDims)
    }
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
        try TensorCore.mean(self, axes: axes, keepDims: keepDims)
    }
    public func max(axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError) -> Tensor {
        try TensorCore.max(self, axes: axes, keepDims: keepDims)
    }
}
