/// Compiles the resolved form into a tree of Swift closures (`Code`). Each node is
/// specialised once here — slot reads, number fast paths, fixed-arity calls — so the hot
/// path does no name lookups, no dictionary access and no allocation for numbers.
struct Compiler {
    let source: Source

    func loc(_ offset: Int) -> Loc { Loc(source: source, offset: offset) }

    func unit(_ u: RUnit) -> (code: Code, frameSize: Int, hasCells: Bool) {
        (block(u.statements, tail: false), u.frameSize, u.locals.contains { $0.captured })
    }

    // MARK: blocks and statements

    func block(_ stmts: [RStmt], tail: Bool) -> Code {
        guard !stmts.isEmpty else { return { _, _ in .null } }
        return sequence(stmts[...], tail: tail)
    }

    /// Statements chained pairwise (no arrays of closures: calling through an array
    /// element costs a reabstraction thunk per call).
    private func sequence(_ stmts: ArraySlice<RStmt>, tail: Bool) -> Code {
        let first = statement(stmts[stmts.startIndex], tail: tail && stmts.count == 1)
        if stmts.count == 1 { return first }
        if stmts.count == 2 {
            let second = statement(stmts[stmts.startIndex + 1], tail: tail)
            return { m, f throws(Unwind) in _ = try first(m, f); return try second(m, f) }
        }
        let rest = sequence(stmts.dropFirst(), tail: tail)
        return { m, f throws(Unwind) in _ = try first(m, f); return try rest(m, f) }
    }

    func statement(_ s: RStmt, tail: Bool) -> Code {
        switch s {
        case .expression(let e):
            return expr(e, tail: tail)
        case .define(let pattern, let value, let pos):
            if case .variable(.local(let v), _, _) = pattern, v.captured, case .function(let rf) = value {
                // A captured local function: its cell exists before the closure so it can call itself.
                let make = function(rf)
                let s = v.slot
                return { m, f throws(Unwind) in
                    let c = Cell(.null)
                    m.setCell(f, s, c)
                    c.value = try make(m, f)
                    return .null
                }
            }
            let v = expr(value)
            let bind = binder(pattern, define: true, loc(pos))
            return { m, f throws(Unwind) in try bind(m, f, try v(m, f)); return .null }
        case .assign(let target, let op, let value, let pos):
            return assignment(target, op, value, loc(pos))
        case .whileLoop(let cond, let body, let pos):
            return whileLoop(self.cond(cond), block(body, tail: false), loc(pos))
        case .forLoop(let pattern, let iterable, let body, let pos):
            return forLoop(pattern, expr(iterable), block(body, tail: false), loc(pos), loc(position(iterable)))
        case .returnStmt(let e, _):
            let v = e.map { expr($0, tail: tail) } ?? { _, _ in .null }
            if tail { return v }
            return { m, f throws(Unwind) in
                m.returnValue = try v(m, f)
                throw .returned
            }
        case .breakStmt:
            return { _, _ throws(Unwind) in throw .breakLoop }
        case .continueStmt:
            return { _, _ throws(Unwind) in throw .continueLoop }
        case .importStmt(let path, let pos):
            let l = loc(pos)
            return { m, _ throws(Unwind) in
                guard let interp = m.interpreter else { throw fail("import is not available here", at: l) }
                try interp.importFile(path, from: l)
                return .null
            }
        }
    }

    private func whileLoop(_ c: @escaping Cond, _ body: @escaping Code, _ l: Loc) -> Code {
        { m, f throws(Unwind) in
            while true {
                try m.tick(l)
                guard try c(m, f) else { break }
                do throws(Unwind) {
                    _ = try body(m, f)
                } catch {
                    switch error {
                    case .breakLoop: return .null
                    case .continueLoop: continue
                    default: throw error
                    }
                }
            }
            return .null
        }
    }

    private func forLoop(_ pattern: RPattern, _ iterable: @escaping Code, _ body: @escaping Code, _ l: Loc, _ itemsLoc: Loc) -> Code {
        let bind = binder(pattern, define: true, l)
        var directSlot: Int?
        if case .variable(.local(let v), _, _) = pattern, !v.captured { directSlot = v.slot }
        return { m, f throws(Unwind) in
            let it = try iterable(m, f)
            if case .range(let r) = it, let s = directSlot {
                let n = r.count
                var k = 0.0
                while k < n {
                    try m.tick(l)
                    (f + s).putNumber(r.start + k * r.step)
                    k += 1
                    do throws(Unwind) {
                        _ = try body(m, f)
                    } catch {
                        switch error {
                        case .breakLoop: return .null
                        case .continueLoop: continue
                        default: throw error
                        }
                    }
                }
                return .null
            }
            if case .range(let r) = it {
                let n = r.count
                var k = 0.0
                while k < n {
                    try m.tick(l)
                    try bind(m, f, .number(r.start + k * r.step))
                    k += 1
                    do throws(Unwind) { _ = try body(m, f) } catch {
                        switch error {
                        case .breakLoop: return .null
                        case .continueLoop: continue
                        default: throw error
                        }
                    }
                }
                return .null
            }
            for item in try m.elements(it, itemsLoc) {
                try m.tick(l)
                try bind(m, f, item)
                do throws(Unwind) { _ = try body(m, f) } catch {
                    switch error {
                    case .breakLoop: return .null
                    case .continueLoop: continue
                    default: throw error
                    }
                }
            }
            return .null
        }
    }

    // MARK: variables

    typealias Store = (Machine, Frame, Value) throws(Unwind) -> Void

    func read(_ p: Place, _ name: String, _ l: Loc) -> Code {
        switch p {
        case .local(let v):
            let s = v.slot
            if v.captured {
                return { m, f throws(Unwind) in
                    guard let c = m.cell(f, s) else { throw fail("internal error: variable '\(name)' has no cell", at: l) }
                    return c.value
                }
            }
            return { _, f in f[s] }
        case .upvalue(let i):
            return { _, f throws(Unwind) in
                guard case .function(let fn) = f[0], i < fn.captures.count else {
                    throw fail("internal error: lost captured variable '\(name)'", at: l)
                }
                return fn.captures[i].value
            }
        case .global(let i):
            return { m, _ throws(Unwind) in
                if m.globals.defined[i] { return m.globals.values[i] }
                throw m.undefined(name, l)
            }
        }
    }

    func store(_ p: Place, _ name: String, define: Bool, isConst: Bool, _ l: Loc) -> Store {
        switch p {
        case .local(let v):
            let s = v.slot
            if v.captured {
                if define { return { m, f, x in m.setCell(f, s, Cell(x)) } }
                return { m, f, x throws(Unwind) in
                    guard let c = m.cell(f, s) else { throw fail("internal error: variable '\(name)' has no cell", at: l) }
                    c.value = x
                }
            }
            return { _, f, x in (f + s).put(x) }
        case .upvalue(let i):
            return { _, f, x throws(Unwind) in
                guard case .function(let fn) = f[0], i < fn.captures.count else {
                    throw fail("internal error: lost captured variable '\(name)'", at: l)
                }
                fn.captures[i].value = x
            }
        case .global(let i):
            if define {
                return { m, _, x in
                    m.globals.set(i, x); m.globals.defined[i] = true; m.globals.isConst[i] = isConst
                }
            }
            return { m, _, x throws(Unwind) in
                guard m.globals.defined[i] else { throw m.undefined(name, l, assigning: true) }
                if m.globals.isConst[i] {
                    throw fail("cannot assign to constant '\(name)'", hint: "declare it with 'var' to make it mutable", at: l)
                }
                m.globals.set(i, x)
            }
        }
    }

    /// Binds a value to a pattern (names or nested tuples, destructuring lists and iterables).
    func binder(_ p: RPattern, define: Bool, _ l: Loc) -> Store {
        switch p {
        case .variable(let place, let isConst, let name):
            return store(place, name, define: define, isConst: isConst, l)
        case .tuple(let items, _):
            let binders = items.map { binder($0, define: define, l) }
            let n = items.count
            return { m, f, x throws(Unwind) in
                let values: [Value]
                switch x {
                case .list(let box): values = box.items
                case .range, .object: values = try m.elements(x, l)
                default:
                    throw fail("cannot unpack a \(x.typeName) into \(n) names", hint: "destructuring needs a list, e.g. (a, b)", at: l)
                }
                guard values.count == n else {
                    throw fail("cannot unpack \(values.count) value\(values.count == 1 ? "" : "s") into \(n) names", at: l)
                }
                for (k, b) in binders.enumerated() { try b(m, f, values[k]) }
            }
        }
    }

    // MARK: assignment

    private func assignment(_ target: RTarget, _ op: AssignOperator?, _ value: RExpr, _ l: Loc) -> Code {
        let v = expr(value)
        switch target {
        case .variable(let place, let name):
            let put = store(place, name, define: false, isConst: false, l)
            guard let op else { return { m, f throws(Unwind) in try put(m, f, try v(m, f)); return .null } }
            let bop = op.binary
            if case .local(let lv) = place, !lv.captured, let code = localCompound(op, lv.slot, v, l) { return code }
            if case .global(let g) = place, let code = globalCompound(op, g, name, v, l) { return code }
            if case .global(let g) = place {
                return { m, f throws(Unwind) in
                    let y = try v(m, f)
                    guard m.globals.defined[g] else { throw m.undefined(name, l, assigning: true) }
                    if m.globals.isConst[g] {
                        throw fail("cannot assign to constant '\(name)'", hint: "declare it with 'var' to make it mutable", at: l)
                    }
                    if case .number(let a) = m.globals.values[g], case .number(let b) = y {
                        m.globals.set(g, .number(try m.arithmetic(bop, a, b, l)))
                    } else {
                        m.globals.set(g, try m.binary(bop, m.globals.values[g], y, l))
                    }
                    return .null
                }
            }
            let get = read(place, name, l)
            return { m, f throws(Unwind) in
                let old = try get(m, f)
                let y = try v(m, f)
                let r: Value
                if case .number(let a) = old, case .number(let b) = y {
                    r = .number(try m.arithmetic(bop, a, b, l))
                } else {
                    r = try m.binary(bop, old, y, l)
                }
                try put(m, f, r)
                return .null
            }
        case .member(let obj, let name):
            let o = expr(obj)
            return { m, f throws(Unwind) in
                let target = try o(m, f)
                var x = try v(m, f)
                if let op { x = try m.binary(op.binary, try m.member(target, name, l), x, l) }
                try m.setMember(target, name, x, l)
                return .null
            }
        case .index(let obj, let items):
            let o = expr(obj)
            let idx = indexCode(items)
            return { m, f throws(Unwind) in
                let target = try o(m, f)
                let comps = try idx(m, f)
                var x = try v(m, f)
                if let op { x = try m.binary(op.binary, try m.index(target, comps, l), x, l) }
                try m.setIndex(target, comps, x, l)
                return .null
            }
        }
    }

    typealias IndexCode = (Machine, Frame) throws(Unwind) -> IndexComponent

    private func indexPart(_ item: RIndex) -> IndexCode {
        switch item {
        case .value(let e):
            let c = expr(e)
            return { m, f throws(Unwind) in .value(try c(m, f)) }
        case .slice(let a, let b, let s):
            let ca = a.map { expr($0) }, cb = b.map { expr($0) }, cs = s.map { expr($0) }
            return { m, f throws(Unwind) in
                var start: Value?, stop: Value?, step: Value?
                if let ca { start = try ca(m, f) }
                if let cb { stop = try cb(m, f) }
                if let cs { step = try cs(m, f) }
                return .slice(start: start, stop: stop, step: step)
            }
        }
    }

    func indexCode(_ items: [RIndex]) -> (Machine, Frame) throws(Unwind) -> [IndexComponent] {
        var parts: [IndexCode] = []
        for item in items { parts.append(indexPart(item)) }
        return { m, f throws(Unwind) in
            var out: [IndexComponent] = []
            out.reserveCapacity(parts.count)
            for p in parts { out.append(try p(m, f)) }
            return out
        }
    }

    // MARK: functions

    func function(_ rf: RFunction) -> Code {
        let proto = FunctionProto(rf, source: source, body: block(rf.body, tail: true),
                                  defaults: rf.defaults.map { d in d.map { expr($0) } })
        let specs = rf.captures
        if specs.isEmpty {
            return { _, _ in .function(Function(proto: proto, captures: [])) }
        }
        let l = proto.loc
        return { m, f throws(Unwind) in
            var caps: [Cell] = []
            caps.reserveCapacity(specs.count)
            for spec in specs {
                switch spec {
                case .local(let v):
                    guard let c = m.cell(f, v.slot) else { throw fail("internal error: '\(v.name)' captured before it exists", at: l) }
                    caps.append(c)
                case .upvalue(let i):
                    guard case .function(let outer) = f[0], i < outer.captures.count else {
                        throw fail("internal error: lost captured variable", at: l)
                    }
                    caps.append(outer.captures[i])
                }
            }
            return .function(Function(proto: proto, captures: caps))
        }
    }
}
