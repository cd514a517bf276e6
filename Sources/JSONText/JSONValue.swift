/// A parsed JSON value that keeps the order of object keys.
///
/// The released LAMA-ckl files are written by Python's `json.dumps`, which keeps insertion
/// order (e.g. `scores.descriptive.llama_7b` before `llama_1b`). Keeping the order lets a
/// loaded unit be written back byte for byte.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number, with the literal text it was written as (for exact round trips).
    case number(Double, literal: String)
    case string(String)
    case array([JSONValue])
    /// Key–value pairs in file order. Duplicate keys are rejected by the parser.
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x, _), .number(y, _)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(1); h.combine(b)
        case .number(let d, _): h.combine(2); h.combine(d)
        case .string(let s): h.combine(3); h.combine(s)
        case .array(let a): h.combine(4); h.combine(a)
        case .object(let o):
            h.combine(5)
            for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    /// A number from a Double, written the way Python's `repr` writes floats.
    public static func number(_ d: Double) -> JSONValue { .number(d, literal: JSONWriter.pythonFloat(d)) }

    /// A number from an Int (written without a fraction).
    public static func integer(_ i: Int) -> JSONValue { .number(Double(i), literal: String(i)) }

    /// The value for `key` if this is an object holding it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first(where: { $0.key == key })?.value
    }

    /// A short name of the value's kind, for error messages ("string", "number", ...).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
