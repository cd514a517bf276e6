/// A primitive operation: the only things the autodiff core knows how to differentiate.
///
/// Each primitive is defined once, with
/// - `forward`: the kernel computing the output value from plain input values;
/// - `vjp`: reverse mode: given the output cotangent `g`, the input cotangents, written
///   with differentiable tensor ops, so a recorded backward pass can itself be
///   differentiated (grad of grad, gradients through an optimiser step);
/// - `jvp`: forward mode: given input tangents (nil = zero), the output tangent, also in
///   differentiable ops.
/// Everything else (mean, logsumexp, transpose, attention, ...) is composed from these.
/// Every primitive is listed in `Primitives.registry`, and the generic gradient checker
/// in the tests covers each registered name.
public protocol Primitive {
    /// The registry name, e.g. "exp", "matmul".
    var name: String { get }
    /// Computes the output value. Inputs are read as plain values (no graph work here).
    func forward(_ x: [Tensor]) throws(TensorError) -> Tensor
    /// Cotangents of the inputs for output cotangent `g`; `needs[i]` is false when input
    /// `i` needs no gradient (return nil for it and skip the work).
    func vjp(_ x: [Tensor], _ y: Tensor, _ g: Tensor, _ needs: [Bool]) throws(TensorError) -> [Tensor?]
    /// The output tangent for input tangents `t` (nil where an input has no tangent);
    /// nil when the output tangent is zero.
    func jvp(_ x: [Tensor], _ y: Tensor, _ t: [Tensor?]) throws(TensorError) -> Tensor?
}

/// One recorded application of a primitive: the graph edge reverse mode walks.
public final class Node {
    public let primitive: any Primitive
    public let inputs: [Tensor]
    init(_ primitive: any Primitive, _ inputs: [Tensor]) {
        self.primitive = primitive
        self.inputs = inputs
    }
}

/// The names of every primitive the core defines (the gradient checker must cover each).
public enum Primitives {
    public static let registry: [String] =
        UnaryKind.allCases.map(\.rawValue)
        + BinaryKind.allCases.map(\.rawValue)
        + CompareKind.allCases.map(\.rawValue)
        + ["where", "sum", "max", "matmul", "reshape", "permute", "slice", "pad", "concat",
           "expand", "gather", "scatter_add", "take_last", "put_last", "softmax", "log_softmax",
           "layer_norm", "layer_norm_jacobian", "cross_entropy", "cross_entropy_grad", "identity",
           "linear", "softmax_jacobian", "causal_softmax", "gelu_backward",
           "head_scores", "head_context", "layer_norm_affine", "layer_norm_gain_grad",
           "layer_norm_affine_tangent"]
}
