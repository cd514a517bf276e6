import Language
import TensorCore

/// A tensor as a taalm value: arithmetic with numpy broadcasting, `@`, comparisons,
/// indexing and slicing, methods (`.sum(axis: 0)`, `.reshape(2, 3)`, `.T`, ...), and a
/// numpy-like display. Every operation is differentiable where it makes sense, so taalm
/// functions built from them work under `grad`, `jvp` and friends.
public final class TensorValue: NativeObject {
    public let tensor: Tensor
    public init(_ tensor: Tensor) { self.tensor = tensor }

    public static func wrap(_ t: Tensor) -> Value { .object(TensorValue(t)) }

    public var typeName: String { "tensor" }
    public var doc: String {
        "A tensor of float32 numbers (any rank). Arithmetic broadcasts like numpy; '@' is matrix product.\n"
            + "Members: " + Self.memberList.joined(separator: ", ")
    }
    public func display(_ ctx: DisplayContext) -> String { TensorText.render(tensor) }
    public var shortSummary: String { "\(shapeString(tensor.shape)) float32" }
    public var memberNames: [String] { Self.memberList }
    public var length: Int? { tensor.rank == 0 ? nil : tensor.shape[0] }
    public var truth: Bool? { tensor.count == 1 ? tensor.scalars[0] != 0 : nil }

    static let memberList = [
        "shape", "T", "ndim", "size", "dtype", "item", "tolist", "sum", "mean", "max", "min", "var", "variance",
        "logsumexp", "argmax", "reshape", "flatten", "transpose", "permute", "exp", "log", "sqrt", "tanh",
        "sigmoid", "relu", "gelu", "abs", "sin", "cos", "softmax", "log_softmax", "detach",
    ]

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let t = tensor
        switch name {
        case "shape": return .list(ListBox(t.shape.map { .number(Double($0)) }))
        case "T": return Self.wrap(try TensorConvert.core { () throws(TensorError) in try t.T })
        case "ndim": return .number(Double(t.rank))
        case "size": return .number(Double(t.count))
        case "dtype": return .string("float32")
        default: break
        }
        guard let method = TensorMethods.method(name, t) else { return nil }
        return .native(method)
    }

    public func setSubscript(_ index: [IndexComponent], _ value: Value, _ ctx: CallContext) throws(NativeError) -> Bool {
        throw NativeError("tensors are immutable: an element cannot be assigned",
                          hint: "build a new tensor instead, e.g. with where(mask, new, old) or concat")
    }

    public func iterate(_ ctx: CallContext) throws(NativeError) -> [Value]? {
        guard tensor.rank > 0 else { throw NativeError("cannot iterate over a rank-0 tensor", hint: "use .item() for its number") }
        var out: [Value] = []
        for i in 0..<tensor.shape[0] {
            out.append(try `subscript`([.value(.number(Double(i)))], ctx) ?? .null)
        }
        return out
    }

    public func unary(_ op: UnaryOperator, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch op {
        case .negate: return Self.wrap(try TensorConvert.core { () throws(TensorError) in try neg(tensor) })
        case .plus: return .object(self)
        case .not: return nil
        }
    }

    public func binary(_ op: BinaryOperator, _ other: Value, selfOnLeft: Bool, _ ctx: CallContext) throws(NativeError) -> Value? {
        let o: Tensor
        switch other {
        case .number, .bool, .list: o = try TensorConvert.toTensor(other, "operand of '\(op.rawValue)'")
        default:
            guard let t = TensorConvert.tensor(other) else { return nil }
            o = t
        }
        let (a, b) = selfOnLeft ? (tensor, o) : (o, tensor)
        let result: Tensor? = try TensorConvert.core { () throws(TensorError) -> Tensor? in
            switch op {
            case .add: return try add(a, b)
            case .subtract: return try sub(a, b)
            case .multiply: return try mul(a, b)
            case .divide: return try div(a, b)
            case .power: return try pow(a, b)
            case .matmul: return try matmul(a, b)
            case .less: return try compare(.lt, a, b)
            case .lessEqual: return try compare(.le, a, b)
            case .greater: return try compare(.gt, a, b)
            case .greaterEqual: return try compare(.ge, a, b)
            case .equal: return try compare(.eq, a, b)
            case .notEqual: return try compare(.ne, a, b)
            case .floorDivide, .modulo, .contains: return nil
            }
        }
        return result.map(Self.wrap)
    }

    public func `subscript`(_ index: [IndexComponent], _ ctx: CallContext) throws(NativeError) -> Value? {
        Self.wrap(try TensorIndexing.select(tensor, index))
    }
}
