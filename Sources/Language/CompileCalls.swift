/// Call sites: positional calls of 0–3 arguments go straight to the fixed-arity entry
/// points (`call0`…`call3`) when the callee is a taalm function of that arity; a global
/// callee is read in place. Everything else takes the general `callValue` path.
extension Compiler {
    func call(_ callee: RExpr, _ args: [RExpr], _ named: [(String, RExpr)], _ l: Loc) -> Code {
        if !named.isEmpty { return namedCall(callee, args, named, l) }
        if case .variable(.global(let g), let name, _) = callee, args.count <= 1 {
            return globalCall(g, name, args, l)
        }
        return generalCall(expr(callee), args, l)
    }

    /// The callee is evaluated first, then the arguments.
    private func generalCall(_ c: @escaping Code, _ args: [RExpr], _ l: Loc) -> Code {
        switch args.count {
        case 0:
            return { m, f throws(Unwind) in
                let fv = try c(m, f)
                if case .function(let fn) = fv, fn.proto.arity == 0 { return try m.call0(fn, l) }
                return try m.callValue(fv, [], named: [], at: l)
            }
        case 1:
            let a0 = expr(args[0])
            return { m, f throws(Unwind) in
                let fv = try c(m, f)
                let x = try a0(m, f)
                if case .function(let fn) = fv, fn.proto.arity == 1 { return try m.call1(fn, x, l) }
                return try m.callValue(fv, [x], named: [], at: l)
            }
        case 2:
            let a0 = expr(args[0]), a1 = expr(args[1])
            return { m, f throws(Unwind) in
                let fv = try c(m, f)
                let x = try a0(m, f), y = try a1(m, f)
                if case .function(let fn) = fv, fn.proto.arity == 2 { return try m.call2(fn, x, y, l) }
                return try m.callValue(fv, [x, y], named: [], at: l)
            }
        case 3:
            let a0 = expr(args[0]), a1 = expr(args[1]), a2 = expr(args[2])
            return { m, f throws(Unwind) in
                let fv = try c(m, f)
                let x = try a0(m, f), y = try a1(m, f), z = try a2(m, f)
                if case .function(let fn) = fv, fn.proto.arity == 3 { return try m.call3(fn, x, y, z, l) }
                return try m.callValue(fv, [x, y, z], named: [], at: l)
            }
        default:
            let a = args.map { expr($0) }
            return { m, f throws(Unwind) in
                let fv = try c(m, f)
                let values = try Compiler.evaluate(a, m, f)
                if case .function(let fn) = fv, fn.proto.arity == values.count { return try m.callN(fn, values, l) }
                return try m.callValue(fv, values, named: [], at: l)
            }
        }
    }

    /// A call of a global with at most one argument: checks the name is defined, evaluates
    /// the argument, then borrows the function from the global (no retain; see BorrowedCalls).
    private func globalCall(_ g: Int, _ name: String, _ args: [RExpr], _ l: Loc) -> Code {
        switch args.count {
        case 0:
            return { m, _ throws(Unwind) in
                guard m.globals.defined[g] else { throw m.undefined(name, l) }
                if let u = (m.globals.values + g).borrowedFunction {
                    return try u.borrow { fn throws(Unwind) in
                        fn.proto.arity == 0 ? try m.callBorrowed0(fn, l) : try m.callValue(.function(fn), [], named: [], at: l)
                    }
                }
                return try m.callValue(m.globals.values[g], [], named: [], at: l)
            }
        case 1:
            if let (s, k, op, argLoc) = slotConstant(args[0]) {
                switch op {
                case .add: return globalCallSlotConstant(AddOperation.self, g, name, s, k, op, argLoc, l)
                case .subtract: return globalCallSlotConstant(SubtractOperation.self, g, name, s, k, op, argLoc, l)
                default: break
                }
            }
            let a0 = expr(args[0])
            return { m, f throws(Unwind) in
                guard m.globals.defined[g] else { throw m.undefined(name, l) }
                return try Compiler.callGlobal1(m, g, try a0(m, f), l)
            }
        default:
            return generalCall(read(.global(g), name, l), args, l)
        }
    }

    /// `f(n - 1)`, `f(n + 1)`: a global called with a local plus or minus a number, the
    /// argument computed in place (recursive functions' calls, e.g. fib).
    private func globalCallSlotConstant<O: NumberOperation>(_: O.Type, _ g: Int, _ name: String, _ s: Int, _ k: Double,
                                                            _ op: BinaryOperator, _ argLoc: Loc, _ l: Loc) -> Code {
        { m, f throws(Unwind) in
            guard m.globals.defined[g] else { throw m.undefined(name, l) }
            let x: Value
            if case .number(let d) = f[s] { x = .number(O.apply(d, k)) } else { x = try m.binary(op, f[s], .number(k), argLoc) }
            return try Compiler.callGlobal1(m, g, x, l)
        }
    }

    /// Calls global `g` (known to be defined) with one argument, borrowing a taalm function.
    @inline(__always)
    static func callGlobal1(_ m: Machine, _ g: Int, _ x: Value, _ l: Loc) throws(Unwind) -> Value {
        if let u = (m.globals.values + g).borrowedFunction {
            return try u.borrow { fn throws(Unwind) in
                fn.proto.arity == 1 ? try m.callBorrowed1(fn, x, l) : try m.callValue(.function(fn), [x], named: [], at: l)
            }
        }
        return try m.callValue(m.globals.values[g], [x], named: [], at: l)
    }

    private func namedCall(_ callee: RExpr, _ args: [RExpr], _ named: [(String, RExpr)], _ l: Loc) -> Code {
        let c = expr(callee)
        let a = args.map { expr($0) }
        let names = named.map(\.0), nv = named.map { expr($0.1) }
        return { m, f throws(Unwind) in
            let fv = try c(m, f)
            let values = try Compiler.evaluate(a, m, f)
            var pairs: [(String, Value)] = []
            for (k, code) in zip(names, nv) { pairs.append((k, try code(m, f))) }
            return try m.callValue(fv, values, named: pairs, at: l)
        }
    }

    static func evaluate(_ codes: [Code], _ m: Machine, _ f: Frame) throws(Unwind) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(codes.count)
        for code in codes { values.append(try code(m, f)) }
        return values
    }
}
