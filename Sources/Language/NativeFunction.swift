import Interrupts

/// A parameter of a native function: its name and, when optional, its default.
public struct Param {
    public var name: String
    public var defaultValue: Value?
    public init(_ name: String, default defaultValue: Value? = nil) { self.name = name; self.defaultValue = defaultValue }
}

/// An error raised by Swift code called from taalm. The evaluator adds the call-site
/// location and the trace.
public struct NativeError: Error {
    public var message: String
    public var hint: String?
    /// A taalm error raised inside a callback (`ctx.call`), passed through with its own location.
    let failure: RuntimeFailure?

    public init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint; self.failure = nil }
    init(failure: RuntimeFailure) { self.message = failure.message; self.hint = failure.hint; self.failure = failure }

    /// True when this error is an interrupt (Ctrl-C) travelling out of a native loop.
    public var isInterrupt: Bool { failure?.kind == .interrupted }
}

/// A function written in Swift. With `variadic == false` the evaluator binds positional
/// and named arguments to `params` (filling defaults) so `body` sees `args.positional`
/// in parameter order; with `variadic == true` positional arguments pass through as
/// given and `params` lists the accepted named options (defaults filled into `named`).
public final class NativeFunction {
    public typealias Body = (Arguments, CallContext) throws(NativeError) -> Value
    public let name: String
    public let doc: String
    public let params: [Param]
    public let variadic: Bool
    public let body: Body

    public init(_ name: String, doc: String = "", params: [Param] = [], variadic: Bool = false, body: @escaping Body) {
        self.name = name; self.doc = doc; self.params = params; self.variadic = variadic; self.body = body
    }

    /// The signature shown by help, e.g. `range(start, stop = nil, step = 1)`.
    public var signature: String {
        var parts = params.map { p in p.defaultValue.map { "\(p.name) = \(ValueText.repr($0))" } ?? p.name }
        if variadic { parts.insert("...", at: 0) }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// This function with `receiver` bound as its first argument (a method value).
    func bound(to receiver: Value) -> NativeFunction {
        let original = self
        let rest = variadic ? params : Array(params.dropFirst())
        return NativeFunction(name, doc: doc, params: rest, variadic: variadic) { args, ctx throws(NativeError) in
            var inner = args
            inner.positional.insert(receiver, at: 0)
            return try original.body(inner, ctx)
        }
    }
}

/// Arguments handed to a native body, with checked accessors that produce friendly errors.
public struct Arguments {
    public var positional: [Value]
    public var named: [String: Value]
    public let functionName: String
    let paramNames: [String]

    public init(_ positional: [Value], named: [String: Value] = [:], function: String = "function", paramNames: [String] = []) {
        self.positional = positional; self.named = named; self.functionName = function; self.paramNames = paramNames
    }

    public var count: Int { positional.count }
    public subscript(i: Int) -> Value { i >= 0 && i < positional.count ? positional[i] : .null }
    public func named(_ key: String) -> Value? { named[key] }

    func describe(_ i: Int) -> String {
        i < paramNames.count ? "argument '\(paramNames[i])' of \(functionName)" : "argument \(i + 1) of \(functionName)"
    }

    public func wrongType(_ i: Int, _ expected: String) -> NativeError {
        NativeError("\(describe(i)) must be \(expected), not \(self[i].typeName)")
    }

    public func number(_ i: Int) throws(NativeError) -> Double {
        guard case .number(let d) = self[i] else { throw wrongType(i, "a number") }
        return d
    }
    public func int(_ i: Int) throws(NativeError) -> Int {
        guard case .number(let d) = self[i] else { throw wrongType(i, "an integer") }
        guard let n = exactInt(d) else { throw NativeError("\(describe(i)) must be an integer, got \(ValueText.number(d))") }
        return n
    }
    public func string(_ i: Int) throws(NativeError) -> String {
        guard case .string(let s) = self[i] else { throw wrongType(i, "a string") }
        return s
    }
    public func bool(_ i: Int) throws(NativeError) -> Bool {
        guard case .bool(let b) = self[i] else { throw wrongType(i, "a bool") }
        return b
    }
    public func list(_ i: Int) throws(NativeError) -> ListBox {
        guard case .list(let l) = self[i] else { throw wrongType(i, "a list") }
        return l
    }
    public func record(_ i: Int) throws(NativeError) -> RecordBox {
        guard case .record(let r) = self[i] else { throw wrongType(i, "a record") }
        return r
    }
    public func callable(_ i: Int) throws(NativeError) -> Value {
        switch self[i] {
        case .function, .native: return self[i]
        case .object: return self[i]
        default: throw wrongType(i, "a function")
        }
    }
}

/// What a native sees of the running interpreter: call taalm functions, write output,
/// read the configuration, poll for Ctrl-C.
public struct CallContext {
    let machine: Machine

    public var config: InterpreterConfig { machine.config }

    /// Writes to the interpreter's output sink (no newline added).
    public func write(_ text: String) { machine.write(text) }

    /// Calls a taalm or native function value.
    public func call(_ fn: Value, _ args: [Value], named: [String: Value] = [:]) throws(NativeError) -> Value {
        do throws(Unwind) {
            return try machine.callValue(fn, args, named: named.sorted { $0.key < $1.key }, at: nil)
        } catch {
            switch error {
            case .failure(let f): throw NativeError(failure: f)
            default: throw NativeError("internal error: control flow escaped a function")
            }
        }
    }

    /// Throws an "interrupted" error when Ctrl-C was pressed; long native loops call this between steps.
    public func checkInterrupt() throws(NativeError) {
        if config.handlesInterrupts, config.interruptFlag.take() { throw NativeError(failure: RuntimeFailure(interruptedAt: nil)) }
    }

    /// The text `print` shows for a value.
    public func display(_ value: Value) -> String { ValueText.text(value, width: config.displayWidth) }
    public func typeName(of value: Value) -> String { value.typeName }
    public var displayContext: DisplayContext { DisplayContext(width: config.displayWidth, color: config.color) }
}
