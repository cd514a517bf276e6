/// A compiled function: what every closure made from one `fn` shares.
final class FunctionProto {
    let name: String
    let doc: String?
    let paramNames: [String]
    let arity: Int
    /// Default-value code per parameter, run in the callee's frame.
    let defaults: [Code?]
    let body: Code
    /// Slot 0 must hold the callee (the body reads captured variables through it).
    let needsCallee: Bool
    let frameSize: Int
    let hasCells: Bool
    let capturedParams: [Int]
    let captures: [CaptureSpec]
    let loc: Loc
    let traceName: String

    init(_ rf: RFunction, source: Source, body: @escaping Code, defaults: [Code?]) {
        self.body = body
        self.defaults = defaults
        needsCallee = !rf.captures.isEmpty
        name = rf.name
        doc = rf.doc
        paramNames = rf.params.map(\.name)
        arity = rf.params.count
        frameSize = rf.frameSize
        hasCells = rf.locals.contains { $0.captured }
        capturedParams = rf.params.filter(\.captured).map(\.slot)
        captures = rf.captures
        loc = Loc(source: source, offset: rf.position)
        traceName = rf.name.isEmpty ? "fn <anonymous>" : "fn \(rf.name)"
    }

    var signature: String {
        "\(name.isEmpty ? "fn" : name)(\(paramNames.joined(separator: ", ")))"
    }
}

extension Machine {
    /// Runs a function body in frame `f` (already entered, parameters bound).
    @inline(__always)
    func run(_ p: FunctionProto, _ f: Frame, _ loc: Loc?) throws(Unwind) -> Value {
        if p.hasCells { for s in p.capturedParams { setCell(f, s, Cell(f[s])) } }
        let result: Value
        do throws(Unwind) {
            result = try p.body(self, f)
        } catch {
            switch error {
            case .returned:
                result = returnValue
                returnValue = .null
            case .failure(let e):
                e.leave(p.traceName, callSite: loc)
                leave(f, p)
                throw error
            default:
                leave(f, p)
                throw fail("internal error: 'break' or 'continue' escaped a function", at: loc)
            }
        }
        leave(f, p)
        return result
    }

    func notCallable(_ v: Value, _ loc: Loc?) -> Unwind {
        fail("cannot call a \(v.typeName)", hint: v.typeName == "record" ? "call a field: r.f(...)" : nil, at: loc)
    }

    /// The general call: any callee, positional and named arguments, defaults.
    func callValue(_ callee: Value, _ args: [Value], named: [(String, Value)], at loc: Loc?) throws(Unwind) -> Value {
        switch callee {
        case .function(let fn): return try callFunction(callee, fn, args, named, loc)
        case .native(let n): return try callNative(n, args, named, loc)
        default: throw notCallable(callee, loc)
        }
    }

    private func callFunction(_ callee: Value, _ fn: Function, _ args: [Value], _ named: [(String, Value)], _ loc: Loc?) throws(Unwind) -> Value {
        let p = fn.proto
        let label = p.name.isEmpty ? "the function" : p.name
        if args.count > p.arity {
            throw fail("\(label) takes \(p.arity) argument\(p.arity == 1 ? "" : "s") but \(args.count) \(args.count == 1 ? "was" : "were") given", at: loc)
        }
        let f = try enter(p.frameSize, loc)
        f[0] = callee
        var given = [Bool](repeating: false, count: p.arity)
        for (i, a) in args.enumerated() { f[i + 1] = a; given[i] = true }
        do throws(Unwind) {
            for (name, v) in named {
                guard let i = p.paramNames.firstIndex(of: name) else {
                    throw fail("\(label) has no parameter named '\(name)'",
                               hint: suggestion(name, among: p.paramNames).map { "did you mean '\($0)'?" }
                                   ?? "its parameters: \(p.paramNames.joined(separator: ", "))", at: loc)
                }
                if given[i] { throw fail("argument '\(name)' given twice", at: loc) }
                f[i + 1] = v; given[i] = true
            }
            for i in 0..<p.arity where !given[i] {
                guard let d = p.defaults[i] else {
                    throw fail("missing argument '\(p.paramNames[i])' in call to \(label)", at: loc)
                }
                f[i + 1] = try d(self, f)
            }
        } catch {
            leave(f, p)
            throw error
        }
        return try run(p, f, loc)
    }

    func callNative(_ n: NativeFunction, _ args: [Value], _ named: [(String, Value)], _ loc: Loc?) throws(Unwind) -> Value {
        let names = n.params.map(\.name)
        var arguments: Arguments
        if n.variadic {
            var options: [String: Value] = [:]
            for (k, v) in named {
                guard names.contains(k) else {
                    throw fail("\(n.name) has no parameter named '\(k)'",
                               hint: names.isEmpty ? nil : "its options: \(names.joined(separator: ", "))", at: loc)
                }
                options[k] = v
            }
            for p in n.params where options[p.name] == nil { options[p.name] = p.defaultValue }
            arguments = Arguments(args, named: options, function: n.name, paramNames: [])
        } else {
            if args.count > n.params.count {
                throw fail("\(n.name) takes \(n.params.count) argument\(n.params.count == 1 ? "" : "s") but \(args.count) \(args.count == 1 ? "was" : "were") given", at: loc)
            }
            var slots = [Value?](repeating: nil, count: n.params.count)
            for (i, a) in args.enumerated() { slots[i] = a }
            for (k, v) in named {
                guard let i = names.firstIndex(of: k) else {
                    throw fail("\(n.name) has no parameter named '\(k)'",
                               hint: names.isEmpty ? nil : "its parameters: \(names.joined(separator: ", "))", at: loc)
                }
                if slots[i] != nil { throw fail("argument '\(k)' given twice", at: loc) }
                slots[i] = v
            }
            var values: [Value] = []
            values.reserveCapacity(slots.count)
            for (i, s) in slots.enumerated() {
                if let s { values.append(s) } else if let d = n.params[i].defaultValue { values.append(d) } else {
                    throw fail("missing argument '\(names[i])' in call to \(n.name)", at: loc)
                }
            }
            arguments = Arguments(values, function: n.name, paramNames: names)
        }
        let result: Value
        do throws(NativeError) {
            result = try n.body(arguments, context)
        } catch {
            throw native(error, loc)
        }
        try pollAfterNative(loc)
        return result
    }

    /// `receiver.name(args)`: a record's function field, a native's member, or a method of the type.
    func callMethod(_ receiver: Value, _ name: String, _ args: [Value], _ named: [(String, Value)], _ loc: Loc?) throws(Unwind) -> Value {
        switch receiver {
        case .record(let r):
            if let v = r[name] { return try callValue(v, args, named: named, at: loc) }
        case .object(let o):
            let v: Value?
            do throws(NativeError) { v = try o.member(name, context) } catch { throw native(error, loc) }
            if let v { return try callValue(v, args, named: named, at: loc) }
            throw noMember(receiver, name, loc)
        default: break
        }
        if let m = method(for: receiver, name) {
            return try callValue(m, [receiver] + args, named: named, at: loc)
        }
        if case .record(let r) = receiver { throw noField(r, name, loc) }
        throw noMember(receiver, name, loc)
    }

    /// `assigning`: the name is the target of `=` or `+=` (a missing declaration, most likely).
    func undefined(_ name: String, _ loc: Loc?, assigning: Bool = false) -> Unwind {
        // `_` (the REPL's last value) is close to every short name and never what was meant.
        let names = (0..<globals.count).filter { globals.defined[$0] && globals.names[$0] != "_" }.map { globals.names[$0] }
        let close = suggestion(name, among: names)
        let hint: String?
        switch (close, assigning) {
        case (let c?, false): hint = "did you mean '\(c)'?"
        case (let c?, true): hint = "did you mean '\(c)'? A new variable is declared with let or var: var \(name) = ..."
        case (nil, true): hint = "declare it with let or var first: var \(name) = ..."
        case (nil, false): hint = nil
        }
        return fail("undefined variable '\(name)'", hint: hint, at: loc)
    }

    /// Runs top-level code of a unit in a fresh frame.
    func runUnit(_ code: Code, frameSize: Int, hasCells: Bool) throws(Unwind) -> Value {
        let f = try enter(frameSize, nil)
        defer {
            clear(f, frameSize, cells: hasCells)
            sp = f - stack
            depth -= 1
        }
        return try code(self, f)
    }
}
