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
    deinit {
        guard Release.needsWorklist(items) else { return }
        var taken: [Value] = []
        swap(&taken, &items)
        Release.drain(&taken)
    }
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

    deinit {
        guard Release.needsWorklist(values) else { return }
        var taken = takeValues()
        Release.drain(&taken)
    }

    /// Empties the record, handing back its values (for `Release`).
    fileprivate func takeValues() -> [Value] {
        let taken = values
        keys = []; values = []; index = [:]
        return taken
    }

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
    deinit {
        switch value {
        case .list, .record, .function:
            var taken = [value]
            value = .null
            Release.drain(&taken)
        default: break
        }
    }
}

/// Frees values without recursion. Left alone, releasing a list of a list of ... (or a
/// closure whose captured variable holds a closure ...) frees each level inside the
/// previous level's deinit, and a million levels overflow any stack. Instead, a dying
/// container hands its children to a worklist; a child the worklist holds the only
/// reference to is emptied into the worklist before it is dropped, so every deinit
/// that runs from here finds nothing nested to free.
enum Release {
    /// Whether any element is a container or closure (flat lists free as usual).
    @inline(__always)
    static func needsWorklist(_ items: [Value]) -> Bool { items.contains { $0.kind != 0 } }

    /// Frees `start` (left empty) and everything only it holds.
    static func drain(_ start: inout [Value]) {
        var values: [Value] = []
        swap(&values, &start)
        var cells: [Cell] = []
        while true {
            if let v = values.popLast() {
                // Each box is taken out of its enum by a consuming call: no copy of the
                // value outlives the check, so a box nothing else holds is seen as unique.
                switch v.kind {
                case 1:
                    var box = list(consume v)
                    if isKnownUniquelyReferenced(&box), needsWorklist(box.items) {
                        values.append(contentsOf: box.items)
                        box.items = []
                    }
                case 2:
                    var box = record(consume v)
                    if isKnownUniquelyReferenced(&box), needsWorklist(box.values) {
                        values.append(contentsOf: box.takeValues())
                    }
                case 3:
                    // Holding its cells here, dropping the closure frees no cell inside it;
                    // each cell is then emptied below if nothing else shares it.
                    if var f = function(consume v), isKnownUniquelyReferenced(&f) { cells.append(contentsOf: f.captures) }
                default: break
                }
            } else if var cell = cells.popLast() {
                if isKnownUniquelyReferenced(&cell), cell.value.kind != 0 {
                    values.append(cell.value)
                    cell.value = .null
                }
            } else {
                return
            }
        }
    }

    private static func list(_ v: consuming Value) -> ListBox {
        if case .list(let b) = consume v { return b }
        return ListBox([])
    }
    private static func record(_ v: consuming Value) -> RecordBox {
        if case .record(let b) = consume v { return b }
        return RecordBox()
    }
    private static func function(_ v: consuming Value) -> Function? {
        if case .function(let f) = consume v { return f }
        return nil
    }
}

extension Value {
    /// 1 list, 2 record, 3 closure, 0 anything else (what `Release` must take apart).
    fileprivate var kind: Int {
        switch self {
        case .list: 1
        case .record: 2
        case .function: 3
        default: 0
        }
    }

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
