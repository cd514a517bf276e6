/// A taalm value. Numbers and booleans are stored inline (no allocation); lists and
/// records are shared, mutable references (like Python's lists and dicts).
public enum Value {
    /// The language's `nil`.
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list(ListBox)
    case record(RecordBox)
    case range(RangeBox)
    /// A function written in taalm (a closure).
    case function(Function)
    /// A function written in Swift (builtins, bound methods, natives' transforms).
    case native(NativeFunction)
    /// An object of a native type (tensor, model, ...).
    case object(any NativeObject)
}

/// A list's storage, shared by every value that refers to it.
public final class ListBox {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// A record: string keys in insertion order.
public final class RecordBox {
    public private(set) var keys: [String]
    public private(set) var values: [Value]
    private var index: [String: Int]

    public init(_ pairs: [(String, Value)] = []) {
        keys = []; values = []; index = [:]
        keys.reserveCapacity(pairs.count); values.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }

    public subscript(key: String) -> Value? {
        get { index[key].map { values[$0] } }
        set {
            if let i = index[key] {
                if let newValue { values[i] = newValue } else { remove(at: i) }
            } else if let newValue {
                index[key] = keys.count
                keys.append(key); values.append(newValue)
            }
        }
    }

    private func remove(at i: Int) {
        keys.remove(at: i); values.remove(at: i)
        index = [:]
        for (k, key) in keys.enumerated() { index[key] = k }
    }
}

/// `range(start, stop, step)`: lazy, immutable.
public final class RangeBox {
    public let start: Double, stop: Double, step: Double
    public init(start: Double, stop: Double, step: Double) { self.start = start; self.stop = stop; self.step = step }
    /// Number of elements (as a Double: ranges may be longer than Int can count).
    public var count: Double {
        guard step != 0 else { return 0 }
        let n = ((stop - start) / step).rounded(.up)
        return n.isFinite ? max(0, n) : (n > 0 ? .infinity : 0)
    }
    public func element(_ k: Double) -> Double { start + k * step }
}

/// A taalm closure: its compiled prototype and the cells it captured.
public final class Function {
    let proto: FunctionProto
    let captures: [Cell]
    init(proto: FunctionProto, captures: [Cell]) { self.proto = proto; self.captures = captures }
    /// Calls running on a reference borrowed from a global slot, without a retain.
    var borrowers = 0
    /// Retains taken when such a global was overwritten mid-call; released by `settle`.
    var owed = 0
    public var name: String { proto.name }
    public var doc: String? { proto.doc }
    public var parameterNames: [String] { proto.paramNames }
}

/// A captured variable: shared by the frame that declared it and every closure that captured it.
final class Cell {
    var value: Value
    init(_ value: Value) { self.value = value }
}

extension Value {
    public var isNil: Bool { if case .null = self { true } else { false } }
    public var numberValue: Double? { if case .number(let d) = self { d } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// A list value holding `items`.
    public static func makeList(_ items: [Value]) -> Value { .list(ListBox(items)) }
    /// A record value holding `pairs` in order.
    public static func makeRecord(_ pairs: [(String, Value)]) -> Value { .record(RecordBox(pairs)) }

    /// The type name shown to users.
    public var typeName: String {
        switch self {
        case .null: "nil"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .list: "list"
        case .record: "record"
        case .range: "range"
        case .function, .native: "function"
        case .object(let o): o.typeName
        }
    }
}

/// Converts a double to an Int only when it is integral and in range (never traps).
@inline(__always)
func exactInt(_ d: Double) -> Int? {
    guard d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else { return nil }
    return Int(d)
}
