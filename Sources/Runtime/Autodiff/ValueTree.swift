import Language
import TensorCore

/// A taalm value seen as a tree whose leaves are numbers and tensors (lists and records
/// are branches; anything else is carried along untouched). Transforms differentiate with
/// respect to every leaf and give results back in the same structure.
struct ValueTree {
    enum Leaf { case number, tensor }
    let leaves: [Tensor]
    let kinds: [Leaf]
    private let template: Value

    /// `transform` names the caller in errors (grad, jvp, ...).
    init(_ v: Value, _ transform: String) throws(NativeError) {
        var leaves: [Tensor] = [], kinds: [Leaf] = []
        try Self.collect(v, &leaves, &kinds, depth: 0, transform)
        self.leaves = leaves
        self.kinds = kinds
        self.template = v
    }

    private static func collect(_ v: Value, _ leaves: inout [Tensor], _ kinds: inout [Leaf], depth: Int, _ transform: String) throws(NativeError) {
        guard depth < 64 else { throw NativeError("\(transform): the value is nested too deeply to differentiate (more than 64 levels of lists and records)") }
        switch v {
        case .number(let d): leaves.append(Tensor.scalar(Float(d))); kinds.append(.number)
        case .list(let l): for item in l.items { try collect(item, &leaves, &kinds, depth: depth + 1, transform) }
        case .record(let r): for item in r.values { try collect(item, &leaves, &kinds, depth: depth + 1, transform) }
        default:
            if let t = TensorConvert.tensor(v) { leaves.append(t); kinds.append(.tensor) }
        }
    }

    /// The same structure with new leaves: tensors stay tensors; number leaves become
    /// numbers when `numbersAsNumbers` (results leaving a transform) or tensors (inside it).
    /// A result that an enclosing transform still follows (`grad(fn(x) { grad(g)(1.0) })`)
    /// stays a tensor, or the outer derivative would lose its path through it.
    func rebuild(_ values: [Tensor], numbersAsNumbers: Bool) -> Value {
        var i = 0
        func build(_ v: Value) -> Value {
            switch v {
            case .number:
                defer { i += 1 }
                let t = values[i]
                return numbersAsNumbers && t.count == 1 && !t.isTraced ? TensorConvert.number(t.scalars[0]) : TensorValue.wrap(t)
            case .list(let l): return .list(ListBox(l.items.map(build)))
            case .record(let r): return .record(RecordBox(zip(r.keys, r.values.map(build)).map { ($0, $1) }))
            default:
                if TensorConvert.tensor(v) != nil {
                    defer { i += 1 }
                    return TensorValue.wrap(values[i])
                }
                return v
            }
        }
        return build(template)
    }
}

/// Runs a transform body, turning core and callback errors into one taalm error.
func transformErrors<T>(_ name: String, _ body: () throws -> T) throws(NativeError) -> T {
    do {
        return try body()
    } catch let e as NativeError {
        throw e
    } catch let e as TensorError {
        throw NativeError("\(name): \(e.op == name ? "" : e.op + ": ")\(e.message)")
    } catch {
        throw NativeError("\(name): \(error)")
    }
}

/// The scalar a differentiated function returned, as a tensor.
func scalarResult(_ v: Value, _ name: String) throws -> Tensor {
    switch v {
    case .number(let d): return Tensor.scalar(Float(d))
    default:
        guard let t = TensorConvert.tensor(v) else {
            throw NativeError("\(name): the function must return a number or a tensor, but returned \(v.typeName)")
        }
        return t
    }
}
