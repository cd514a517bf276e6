/// The differentiable elementwise API: free functions (so derivative rules read like maths)
/// and operators on `Tensor`. Numbers mix with tensors as rank-0 tensors.

@inline(__always) func unary(_ k: UnaryKind, _ x: Tensor) throws(TensorError) -> Tensor {
    try apply(UnaryPrim(kind: k), [x])
}
public func neg(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.neg, x) }
public func exp(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.exp, x) }
public func log(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.log, x) }
public func sqrt(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.sqrt, x) }
public func tanh(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.tanh, x) }
public func sigmoid(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.sigmoid, x) }
public func relu(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.relu, x) }
public func gelu(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.gelu, x) }
/// gelu'(x), elementwise (differentiable: its derivative is composed).
public func geluGrad(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.geluGrad, x) }
public func abs(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.abs, x) }
public func sin(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.sin, x) }
public func cos(_ x: Tensor) throws(TensorError) -> Tensor { try unary(.cos, x) }

/// Applies a unary primitive by kind (used by bindings that name ops at run time).
public func unaryOp(_ k: UnaryKind, _ x: Tensor) throws(TensorError) -> Tensor { try unary(k, x) }

public func binary(_ k: BinaryKind, _ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
    try apply(BinaryPrim(kind: k), [a, b])
}
public func add(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.add, a, b) }
public func sub(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.sub, a, b) }
public func mul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.mul, a, b) }
public func div(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.div, a, b) }
public func pow(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.pow, a, b) }
public func maximum(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.maximum, a, b) }
public func minimum(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.minimum, a, b) }

public func add(_ a: Tensor, _ b: Float) throws(TensorError) -> Tensor { try binary(.add, a, .scalar(b)) }
public func add(_ a: Float, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.add, .scalar(a), b) }
public func sub(_ a: Tensor, _ b: Float) throws(TensorError) -> Tensor { try binary(.sub, a, .scalar(b)) }
public func sub(_ a: Float, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.sub, .scalar(a), b) }
public func mul(_ a: Tensor, _ b: Float) throws(TensorError) -> Tensor { try binary(.mul, a, .scalar(b)) }
public func mul(_ a: Float, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.mul, .scalar(a), b) }
public func div(_ a: Tensor, _ b: Float) throws(TensorError) -> Tensor { try binary(.div, a, .scalar(b)) }
public func div(_ a: Float, _ b: Tensor) throws(TensorError) -> Tensor { try binary(.div, .scalar(a), b) }
public func pow(_ a: Tensor, _ b: Float) throws(TensorError) -> Tensor { try binary(.pow, a, .scalar(b)) }

/// Elementwise comparison: 1 where it holds, 0 elsewhere (no derivative).
public func compare(_ k: CompareKind, _ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
    try apply(ComparePrim(kind: k), [a, b])
}
public func compare(_ k: CompareKind, _ a: Tensor, _ b: Float) throws(TensorError) -> Tensor {
    try compare(k, a, .scalar(b))
}

/// `a` where `cond` is non-zero, `b` elsewhere (broadcasting all three).
public func select(_ cond: Tensor, _ a: Tensor, _ b: Tensor, outShape: [Int]? = nil) throws(TensorError) -> Tensor {
    let y = try apply(WherePrim(), [cond, a, b])
    if let s = outShape, s != y.shape { return try expand(y, s) }
    return y
}

/// The same values passed through an identity edge (differentiable).
public func identity(_ x: Tensor) throws(TensorError) -> Tensor { try apply(IdentityPrim(), [x]) }

extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws(TensorError) -> Tensor { try add(a, b) }
    public static func - (a: Tensor, b: Tensor) throws(TensorError) -> Tensor { try sub(a, b) }
    public static func * (a: Tensor, b: Tensor) throws(TensorError) -> Tensor { try mul(a, b) }
    public static func / (a: Tensor, b: Tensor) throws(TensorError) -> Tensor { try div(a, b) }
    public static func + (a: Tensor, b: Float) throws(TensorError) -> Tensor { try add(a, b) }
    public static func - (a: Tensor, b: Float) throws(TensorError) -> Tensor { try sub(a, b) }
    public static func * (a: Tensor, b: Float) throws(TensorError) -> Tensor { try mul(a, b) }
    public static func / (a: Tensor, b: Float) throws(TensorError) -> Tensor { try div(a, b) }
    public static func + (a: Float, b: Tensor) throws(TensorError) -> Tensor { try add(a, b) }
    public static func - (a: Float, b: Tensor) throws(TensorError) -> Tensor { try sub(a, b) }
    public static func * (a: Float, b: Tensor) throws(TensorError) -> Tensor { try mul(a, b) }
    public static func / (a: Float, b: Tensor) throws(TensorError) -> Tensor { try div(a, b) }
    public static prefix func - (a: Tensor) throws(TensorError) -> Tensor { try neg(a) }
}
