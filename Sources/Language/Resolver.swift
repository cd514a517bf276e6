/// Turns names into places: locals become frame slots (cells when a closure captures
/// them), names of enclosing functions become upvalues, everything else a global index.
/// Also checks what can be checked before running: assignment to constants, `break`
/// outside loops, `return` outside functions, duplicate parameters.
final class Resolver {
    private final class FunctionScope {
        let parent: FunctionScope?
        var scopes: [[String: LocalVar]] = []
        var nextSlot: Int
        var frameSize: Int
        var captures: [CaptureSpec] = []
        var captureKeys: [String: Int] = [:]
        var loopDepth = 0
        let isFunction: Bool
        var locals: [LocalVar] = []
        init(parent: FunctionScope?, isFunction: Bool) {
            self.parent = parent; self.isFunction = isFunction
            nextSlot = 1; frameSize = 1
        }
        func allocate(_ name: String, isConst: Bool) -> LocalVar {
            let v = LocalVar(name: name, slot: nextSlot, isConst: isConst)
            nextSlot += 1
            frameSize = max(frameSize, nextSlot)
            locals.append(v)
            return v
        }
    }

    let source: Source
    let globals: Globals
    private(set) var diagnostics: [Diagnostic] = []
    private var fn: FunctionScope
    /// Top-level names of this unit bound with `let`/`fn` (and never with `var`).
    private var unitConstants: Set<String> = []

    init(source: Source, globals: Globals) {
        self.source = source
        self.globals = globals
        self.fn = FunctionScope(parent: nil, isFunction: false)
    }

    static func resolve(_ program: Program, source: Source, globals: Globals) -> (RUnit, [Diagnostic]) {
        let r = Resolver(source: source, globals: globals)
        var constants: Set<String> = [], variables: Set<String> = []
        for stmt in program.statements {
            switch stmt {
            case .binding(let p, _, let mutable, _):
                for (name, _) in p.names {
                    _ = globals.slot(name)
                    if mutable { variables.insert(name) } else { constants.insert(name) }
                }
            case .function(let d):
                if let name = d.name { _ = globals.slot(name); constants.insert(name) }
            default: break
            }
        }
        r.unitConstants = constants.subtracting(variables)
        let stmts = r.block(program.statements, newScope: false)
        let unit = RUnit(statements: stmts, frameSize: r.fn.frameSize, locals: r.fn.locals,
                         endsWithBareExpression: program.endsWithBareExpression)
        return (unit, r.diagnostics)
    }

    private func error(_ message: String, at offset: Int, hint: String? = nil) {
        diagnostics.append(Diagnostic(message: message, hint: hint, location: source.location(offset)))
    }

    // MARK: names

    private func lookup(_ name: String, in scope: FunctionScope) -> Place? {
        for s in scope.scopes.reversed() {
            if let v = s[name] { return .local(v) }
        }
        guard let parent = scope.parent, let outer = lookup(name, in: parent) else { return nil }
        let spec: CaptureSpec, key: String
        switch outer {
        case .local(let v):
            v.captured = true
            spec = .local(v); key = "l\(ObjectIdentifier(v).hashValue)"
        case .upvalue(let i):
            spec = .upvalue(i); key = "u\(i)"
        case .global:
            return outer
        }
        if let i = scope.captureKeys[key] { return .upvalue(i) }
        scope.captures.append(spec)
        scope.captureKeys[key] = scope.captures.count - 1
        return .upvalue(scope.captures.count - 1)
    }

    private func place(_ name: String, at offset: Int) -> Place {
        if let p = lookup(name, in: fn) { return p }
        guard let i = globals.slot(name) else {
            error("too many global names (limit \(Globals.capacity))", at: offset)
            return .global(0)
        }
        return .global(i)
    }

    private func declare(_ name: String, isConst: Bool, at offset: Int) -> Place {
        if fn.scopes.isEmpty {
            guard let i = globals.slot(name) else {
                error("too many global names (limit \(Globals.capacity))", at: offset)
                return .global(0)
            }
            return .global(i)
        }
        let v = fn.allocate(name, isConst: isConst)
        fn.scopes[fn.scopes.count - 1][name] = v
        return .local(v)
    }

    private func isConstant(_ place: Place, _ name: String) -> Bool {
        switch place {
        case .local(let v): return v.isConst
        case .upvalue:
            var scope = fn.parent
            while let s = scope {
                for sc in s.scopes.reversed() { if let v = sc[name] { return v.isConst } }
                scope = s.parent
            }
            return false
        case .global(let i):
            if unitConstants.contains(name) { return true }
            return globals.defined[i] && globals.isConst[i]
        }
    }

    // MARK: statements

    private func block(_ stmts: [Stmt], newScope: Bool = true) -> [RStmt] {
        if newScope { fn.scopes.append([:]) }
        let saved = fn.nextSlot
        let out = stmts.map(statement)
        if newScope {
            fn.scopes.removeLast()
            fn.nextSlot = saved
        }
        return out
    }

    private func pattern(_ p: Pattern, isConst: Bool) -> RPattern {
        switch p {
        case .name(let name, let pos):
            return .variable(declare(name, isConst: isConst, at: pos), isConst: isConst, name)
        case .tuple(let items, let pos):
            return .tuple(items.map { pattern($0, isConst: isConst) }, pos)
        }
    }

    private func statement(_ s: Stmt) -> RStmt {
        switch s {
        case .expression(let e):
            return .expression(expr(e))
        case .binding(let p, let value, let mutable, let pos):
            var v = value
            if case .function(let d) = value, d.name == nil, case .name(let n, _) = p { d.name = n; v = .function(d) }
            let initial = expr(v)
            _ = pos
            return .define(pattern(p, isConst: !mutable), initial, p.position)
        case .function(let d):
            guard let name = d.name else { return .expression(expr(.function(d))) }
            let target = declare(name, isConst: true, at: d.position)
            return .define(.variable(target, isConst: true, name), .function(function(d)), d.position)
        case .assign(let target, let op, let value, let pos):
            let t: RTarget
            switch target {
            case .name(let name, let npos):
                let p = place(name, at: npos)
                if isConstant(p, name) {
                    error("cannot assign to constant '\(name)'", at: npos, hint: "declare it with 'var' to make it mutable")
                }
                t = .variable(p, name)
            case .member(let obj, let name, _):
                t = .member(expr(obj), name)
            case .index(let obj, let items, _):
                t = .index(expr(obj), items.map(index))
            default:
                error("invalid assignment target", at: pos)
                t = .variable(.global(0), "")
            }
            return .assign(t, op, expr(value), pos)
        case .whileLoop(let cond, let body, let pos):
            let c = expr(cond)
            fn.loopDepth += 1
            defer { fn.loopDepth -= 1 }
            return .whileLoop(c, block(body), pos)
        case .forLoop(let p, let iterable, let body, let pos):
            let it = expr(iterable)
            fn.scopes.append([:])
            let saved = fn.nextSlot
            let rp = pattern(p, isConst: true)
            fn.loopDepth += 1
            let b = block(body)
            fn.loopDepth -= 1
            fn.scopes.removeLast()
            fn.nextSlot = saved
            return .forLoop(rp, it, b, pos)
        case .returnStmt(let e, let pos):
            if !fn.isFunction { error("'return' outside of a function", at: pos) }
            return .returnStmt(e.map(expr), pos)
        case .breakStmt(let pos):
            if fn.loopDepth == 0 { error("'break' outside of a loop", at: pos) }
            return .breakStmt(pos)
        case .continueStmt(let pos):
            if fn.loopDepth == 0 { error("'continue' outside of a loop", at: pos) }
            return .continueStmt(pos)
        case .importStmt(let path, let pos):
            return .importStmt(path, pos)
        }
    }

    // MARK: expressions

    private func index(_ i: IndexExpr) -> RIndex {
        switch i {
        case .value(let e): return .value(expr(e))
        case .slice(let a, let b, let c): return .slice(a.map(expr), b.map(expr), c.map(expr))
        }
    }

    private func function(_ d: FunctionDecl) -> RFunction {
        let outer = fn
        let scope = FunctionScope(parent: outer, isFunction: true)
        fn = scope
        defer { fn = outer }
        scope.scopes.append([:])
        var params: [LocalVar] = []
        var defaults: [RExpr?] = []
        var seen: Set<String> = []
        for p in d.params {
            if !seen.insert(p.name).inserted { error("duplicate parameter '\(p.name)'", at: p.position) }
            // Defaults run in the callee's frame and may use earlier parameters.
            defaults.append(p.defaultValue.map(expr))
            let v = scope.allocate(p.name, isConst: false)
            scope.scopes[0][p.name] = v
            params.append(v)
        }
        let body = d.body.map(statement)
        return RFunction(name: d.name ?? "", doc: d.doc, params: params, defaults: defaults, body: body,
                         frameSize: scope.frameSize, captures: scope.captures, position: d.position, locals: scope.locals)
    }

    private func expr(_ e: Expr) -> RExpr {
        switch e {
        case .number(let v, let p): return .constant(.number(v), p)
        case .string(let s, let p): return .constant(.string(s), p)
        case .bool(let b, let p): return .constant(.bool(b), p)
        case .null(let p): return .constant(.null, p)
        case .interpolation(let parts, let pos):
            return .interpolation(parts.map { part in
                switch part {
                case .text(let s): return .text(s)
                case .expr(let e): return .expr(expr(e))
                }
            }, pos)
        case .name(let name, let pos):
            return .variable(place(name, at: pos), name, pos)
        case .list(let items, let pos):
            return .list(items.map(expr), pos)
        case .record(let fields, let pos):
            return .record(fields.map(\.key), fields.map { expr($0.value) }, pos)
        case .unary(let op, let a, let pos):
            return .unary(op, expr(a), pos)
        case .binary(let op, let a, let b, let pos):
            return .binary(op, expr(a), expr(b), pos)
        case .and(let a, let b, let pos):
            return .and(expr(a), expr(b), pos)
        case .or(let a, let b, let pos):
            return .or(expr(a), expr(b), pos)
        case .call(let callee, let args, let pos):
            let positional = args.filter { $0.name == nil }.map { expr($0.value) }
            let named = args.compactMap { a in a.name.map { ($0, expr(a.value)) } }
            if case .member(let obj, let name, _) = callee {
                return .methodCall(expr(obj), name, positional, named, pos)
            }
            return .call(expr(callee), positional, named, pos)
        case .member(let obj, let name, let pos):
            return .member(expr(obj), name, pos)
        case .index(let obj, let items, let pos):
            return .index(expr(obj), items.map(index), pos)
        case .function(let d):
            return .function(function(d))
        case .ifElse(let cond, let then, let otherwise, let pos):
            return .ifElse(expr(cond), block(then), otherwise.map { block($0) }, pos)
        }
    }
}
