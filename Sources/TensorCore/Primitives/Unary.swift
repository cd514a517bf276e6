import Foundation

/// Elementwise functions of one tensor.
public enum UnaryKind: String, CaseIterable, Sendable {
    case neg, exp, log, sqrt, tanh, sigmoid, relu, gelu, abs, sin, cos
    /// gelu'(x), the derivative of `gelu` (a primitive so GELU's backward is one fused
    /// kernel instead of ~14 elementwise ops; its own derivative gelu'' is composed).
    case geluGrad = "gelu_grad"
}

@inline(__always)
func mapUnary(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let y = Tensor(uninitialized: x.shape)
    let n = x.count, a = x.storage.pointer, o = y.storage.pointer
    for i in 0..<n { o[i] = f(a[i]) }
    return y
}

struct UnaryPrim: Primitive {
    let kind: UnaryKind
    var name: String { kind.rawValue }

    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor {
        let a = x[0]
        switch kind {
        case .neg: return Kernels.mapNeg(a)
        case .exp: return Kernels.mapExp(a)
        case .log: return Kernels.mapLog(a)
        case .sqrt: return Kernels.mapSqrt(a)
        case .tanh: return Kernels.mapTanh(a)
        case .sigmoid: return Kernels.mapSigmoid(a)
        case .relu: return Kernels.mapRelu(a)
        case .gelu: return Kernels.mapGelu(a)
        case .geluGrad: return Kernels.mapGeluGrad(a)
        case .abs: return mapUnary(a) { Swift.abs($0) }
        case .sin: return mapUnary(a) { Foundation.sin($0) }
        case .cos: return mapUnary(a) { Foundation.cos($0) }
        }
    }

    /// dy/dx as a differentiable expression of x and y.
    func derivative(_ x: Tensor, _ y: Tensor) throws(TensorError) -> Tensor {
        switch kind {
        case .neg: return try Tensor.full(x.shape, -1)
        case .exp: return y
        case .log: return try div(1, x)
        case .sqrt: return try div(0.5, y)
        case .tanh: return try sub(1, mul(y, y))
        case .sigmoid: return try mul(y, sub(1, y))
        case .relu: return try compare(.gt, x, 0)
        case .gelu: return try geluGrad(x)
        case .geluGrad:
            // gelu''(x) for 0.5x(1+tanh(u)), u = c(x + k x³):
            // (1 - th²)·(u' - x·th·u'² + 0.5·x·u''), u' = c(1 + 3k x²), u'' = 6ck x.
            let c: Float = 0.7978845608028654, k: Float = 0.044715
            let x2 = try mul(x, x)
            let th = try tanh(mul(c, add(x, mul(k, mul(x2, x)))))
            let du = try mul(c, add(1, mul(3 * k, x2)))
            let inner = try add(sub(du, mul(mul(x, th), mul(du, du))), mul(3 * c * k, x2))
            return try mul(sub(1, mul(th, th)), inner)
        case .abs: return try sub(compare(.gt, x, 0), compare(.lt, x, 0))
        case .sin: return try cos(x)
        case .cos: return try neg(sin(x))
        }
    }

    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?] {
        if kind == .neg { return [try neg(g)] }
        if kind == .gelu { return [try apply(GeluBackwardPrim(), [x[0], g])] }
        return [try mul(g, derivative(x[0], y))]
    }

    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor? {
        guard let t0 = t[0] else { return nil }
        if kind == .neg { return try neg(t0) }
        if kind == .gelu { return try apply(GeluBackwardPrim(), [x[0], t0]) }
        return try mul(t0, derivative(x[0], y))
    }
}
