/// How natives should lay out their display.
public struct DisplayContext: Sendable {
    public var width: Int
    public var color: Bool
    public init(width: Int = 100, color: Bool = false) { self.width = width; self.color = color }
}

/// One component of `x[a, b:c, ::d]`.
public enum IndexComponent {
    case value(Value)
    case slice(start: Value?, stop: Value?, step: Value?)
}

/// A native type exposed to taalm (tensors, models, optimizers...). Every requirement but
/// `typeName` has a default; return nil from an operation to let the language report a
/// type error.
public protocol NativeObject: AnyObject {
    var typeName: String { get }
    var doc: String { get }
    /// Full display (multi-line allowed).
    func display(_ ctx: DisplayContext) -> String
    /// One line for `:vars` and REPL echo, e.g. "[2, 3] float32".
    var shortSummary: String { get }
    var memberNames: [String] { get }
    /// A property value or a bound method (a `.native` function value); nil = no such member.
    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value?
    /// `obj.name = value`; return false when the member cannot be set.
    func setMember(_ name: String, _ value: Value, _ ctx: CallContext) throws(NativeError) -> Bool
    /// `self op other` (selfOnLeft) or `other op self`; nil = unsupported.
    func binary(_ op: BinaryOperator, _ other: Value, selfOnLeft: Bool, _ ctx: CallContext) throws(NativeError) -> Value?
    func unary(_ op: UnaryOperator, _ ctx: CallContext) throws(NativeError) -> Value?
    func `subscript`(_ index: [IndexComponent], _ ctx: CallContext) throws(NativeError) -> Value?
    /// `obj[index] = value`; return false when unsupported.
    func setSubscript(_ index: [IndexComponent], _ value: Value, _ ctx: CallContext) throws(NativeError) -> Bool
    /// Elements for `for x in obj`, `list(obj)`, destructuring; nil = not iterable.
    func iterate(_ ctx: CallContext) throws(NativeError) -> [Value]?
    /// `len(obj)`; nil = no length.
    var length: Int? { get }
    /// Truth value for `if obj`; nil = not usable as a condition.
    var truth: Bool? { get }
}

extension NativeObject {
    public var doc: String { "" }
    public func display(_ ctx: DisplayContext) -> String { "<\(typeName)>" }
    public var shortSummary: String { typeName }
    public var memberNames: [String] { [] }
    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? { nil }
    public func setMember(_ name: String, _ value: Value, _ ctx: CallContext) throws(NativeError) -> Bool { false }
    public func binary(_ op: BinaryOperator, _ other: Value, selfOnLeft: Bool, _ ctx: CallContext) throws(NativeError) -> Value? { nil }
    public func unary(_ op: UnaryOperator, _ ctx: CallContext) throws(NativeError) -> Value? { nil }
    public func `subscript`(_ index: [IndexComponent], _ ctx: CallContext) throws(NativeError) -> Value? { nil }
    public func setSubscript(_ index: [IndexComponent], _ value: Value, _ ctx: CallContext) throws(NativeError) -> Bool { false }
    public func iterate(_ ctx: CallContext) throws(NativeError) -> [Value]? { nil }
    public var length: Int? { nil }
    public var truth: Bool? { nil }
}
