import Foundation

/// The core natives every interpreter has (print, len, range, str, ...). Collection,
/// text and math builtins live in the neighbouring Builtins*.swift files; `map`,
/// `filter`, `reduce`, `sum`, ... are written in taalm in stdlib/prelude.taalm.
enum Builtins {
    static func register(in interp: Interpreter) {
        core(interp)
        collections(interp)
        text(interp)
        math(interp)
    }

    /// Which globals are also methods of the built-in types (`xs.push(1)` calls `push(xs, 1)`).
    static let methodNames: [String: [String]] = [
        "list": ["len", "push", "append", "pop", "insert", "extend", "index_of", "contains", "sorted", "reversed",
                 "copy", "join", "map", "filter", "reduce", "sum", "mean", "enumerate", "min", "max", "any", "all", "clear"],
        "string": ["len", "upper", "lower", "strip", "split", "replace", "starts_with", "ends_with", "index_of",
                   "contains", "reversed", "num"],
        "record": ["keys", "values", "has", "get", "len", "copy", "delete"],
        "range": ["len", "contains", "map", "filter", "reduce", "sum", "mean", "list", "reversed", "min", "max"],
        "number": ["fmt", "round", "abs", "floor", "ceil", "sqrt", "int", "str"],
    ]

    static func bindMethods(in interp: Interpreter) {
        for (type, names) in methodNames {
            for name in names {
                if let v = interp.globals.value(name) { interp.methods[type, default: [:]][name] = v }
            }
        }
    }

    static func fn(_ interp: Interpreter, _ name: String, _ doc: String, _ params: [Param] = [], variadic: Bool = false,
                   _ body: @escaping NativeFunction.Body) {
        interp.define(NativeFunction(name, doc: doc, params: params, variadic: variadic, body: body))
    }

    private static func core(_ interp: Interpreter) {
        fn(interp, "print", "Writes the values separated by `sep` and followed by `end`.\nExample: print(\"loss\", 0.25, sep: \" = \")",
           [Param("sep", default: .string(" ")), Param("end", default: .string("\n"))], variadic: true) { args, ctx throws(NativeError) in
            guard case .string(let sep) = args.named["sep"] ?? .string(" ") else { throw NativeError("print's 'sep' must be a string") }
            guard case .string(let end) = args.named["end"] ?? .string("\n") else { throw NativeError("print's 'end' must be a string") }
            ctx.write(args.positional.map { ctx.display($0) }.joined(separator: sep) + end)
            return .null
        }
        fn(interp, "len", "The number of elements of a list, characters of a string, fields of a record, or numbers of a range.",
           [Param("x")]) { args, _ throws(NativeError) in
            switch args[0] {
            case .list(let l): return .number(Double(l.items.count))
            case .string(let s): return .number(Double(s.count))
            case .record(let r): return .number(Double(r.count))
            case .range(let r): return .number(r.count)
            case .object(let o):
                if let n = o.length { return .number(Double(n)) }
                throw NativeError("\(o.typeName) has no length")
            default: throw args.wrongType(0, "a list, string, record or range")
            }
        }
        fn(interp, "range", "The numbers start, start+step, ... up to (not including) stop. range(n) counts 0..<n.\nExample: for i in range(3) { print(i) }",
           [Param("start"), Param("stop", default: .null), Param("step", default: .number(1))]) { args, _ throws(NativeError) in
            var start = try args.number(0)
            var stop: Double
            if args[1].isNil { stop = start; start = 0 } else { stop = try args.number(1) }
            let step = try args.number(2)
            if step == 0 { throw NativeError("range step cannot be zero") }
            if !start.isFinite || !stop.isFinite && !stop.isInfinite || step.isNaN { throw NativeError("range bounds must be numbers") }
            if stop.isNaN { stop = start }
            return .range(RangeBox(start: start, stop: stop, step: step))
        }
        fn(interp, "str", "The text `print` shows for a value.", [Param("x")]) { args, ctx throws(NativeError) in
            .string(ctx.display(args[0]))
        }
        fn(interp, "repr", "The source-like text of a value (strings quoted).", [Param("x")]) { args, _ throws(NativeError) in
            .string(ValueText.repr(args[0]))
        }
        fn(interp, "num", "Converts a string (\"3.5\") or a bool to a number.", [Param("x")]) { args, _ throws(NativeError) in
            switch args[0] {
            case .number: return args[0]
            case .bool(let b): return .number(b ? 1 : 0)
            case .string(let s):
                let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                if let d = Double(t) { return .number(d) }
                throw NativeError("cannot convert \(ValueText.quote(s)) to a number")
            default: throw args.wrongType(0, "a string, number or bool")
            }
        }
        fn(interp, "int", "Truncates a number toward zero (also parses strings).", [Param("x")]) { args, _ throws(NativeError) in
            var d: Double
            switch args[0] {
            case .number(let x): d = x
            case .string(let s):
                guard let x = Double(s.trimmingCharacters(in: .whitespaces)) else {
                    throw NativeError("cannot convert \(ValueText.quote(s)) to a number")
                }
                d = x
            case .bool(let b): d = b ? 1 : 0
            default: throw args.wrongType(0, "a number")
            }
            guard d.isFinite else { throw NativeError("cannot convert \(ValueText.number(d)) to an integer") }
            d.round(.towardZero)
            return .number(d)
        }
        fn(interp, "type", "The type name of a value: \"number\", \"string\", \"list\", \"record\", ...", [Param("x")]) { args, _ throws(NativeError) in
            .string(args[0].typeName)
        }
        fn(interp, "assert", "Stops with an error when the condition is false.\nExample: assert(len(xs) > 0, \"xs is empty\")",
           [Param("condition"), Param("message", default: .null)]) { args, _ throws(NativeError) in
            let ok: Bool
            switch args[0] {
            case .bool(let b): ok = b
            case .object(let o) where o.truth != nil: ok = o.truth ?? false
            default: throw args.wrongType(0, "a bool")
            }
            if ok { return .null }
            if case .string(let m) = args[1] { throw NativeError("assertion failed: \(m)") }
            throw NativeError("assertion failed")
        }
        fn(interp, "error", "Stops the program with a runtime error carrying the message.", [Param("message")]) { args, ctx throws(NativeError) in
            throw NativeError(ctx.display(args[0]))
        }
        fn(interp, "doc", "The documentation of a function or native value, as a string.", [Param("x")]) { args, _ throws(NativeError) in
            .string(Introspection.doc(of: args[0]) ?? "")
        }
        let start = ContinuousClock.now
        fn(interp, "clock", "Seconds since the interpreter started (for timing).") { _, _ throws(NativeError) in
            let d = ContinuousClock.now - start
            return .number(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        interp.define("pi", .number(Double.pi), doc: "π = 3.14159...")
        interp.define("inf", .number(Double.infinity), doc: "positive infinity")
        interp.define("nan", .number(Double.nan), doc: "not a number")
    }
}

extension CallContext {
    /// Elements of an iterable, as `for` would see them.
    func items(_ v: Value) throws(NativeError) -> [Value] {
        do throws(Unwind) { return try machine.elements(v, nil) } catch { throw Self.convert(error) }
    }

    /// Ordering of two values (numbers, strings, bools, lists).
    func order(_ a: Value, _ b: Value) throws(NativeError) -> Int {
        let c: Int?
        do throws(Unwind) { c = try machine.compare(a, b, nil, 0) } catch { throw Self.convert(error) }
        guard let c else { throw NativeError("cannot compare \(a.typeName) and \(b.typeName)") }
        return c
    }

    func equal(_ a: Value, _ b: Value) throws(NativeError) -> Bool {
        guard let e = Machine.equal(a, b, 0) else { throw NativeError("values nested too deeply to compare") }
        return e
    }

    func contains(_ haystack: Value, _ needle: Value) throws(NativeError) -> Bool {
        do throws(Unwind) { return try machine.contains(haystack, needle, nil) } catch { throw Self.convert(error) }
    }

    static func convert(_ u: Unwind) -> NativeError {
        if case .failure(let f) = u { return NativeError(failure: f) }
        return NativeError("internal error: control flow escaped")
    }
}
