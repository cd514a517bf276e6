/// Fixed-arity calls of taalm functions: the hot path of every call site whose callee is a
/// `Function` of matching arity. The caller owns `fn` (it read it out of a slot or global)
/// until the call returns, so the function, its prototype and compiled body stay alive even
/// if the variable that held it is reassigned meanwhile. Everything here only borrows:
/// no reference counting beyond the caller's one copy of the callee.
extension Machine {
    @inline(never)
    func call0(_ fn: Function, _ l: Loc) throws(Unwind) -> Value {
        let p = fn.proto
        let nf = try enter(p.frameSize, l)
        if p.needsCallee { nf.fill(.function(fn)) }
        return try run(p, nf, l)
    }

    @inline(never)
    func call1(_ fn: Function, _ x: consuming Value, _ l: Loc) throws(Unwind) -> Value {
        try enterAndRun1(fn, x, l)
    }

    /// `call1`'s body, for call sites that inline it (a borrowed call of a global).
    @inline(__always)
    func enterAndRun1(_ fn: Function, _ x: consuming Value, _ l: Loc) throws(Unwind) -> Value {
        let p = fn.proto
        let nf = try enter(p.frameSize, l)
        if p.needsCallee { nf.fill(.function(fn)) }
        (nf + 1).fill(x)
        return try run(p, nf, l)
    }

    @inline(never)
    func call2(_ fn: Function, _ x: consuming Value, _ y: consuming Value, _ l: Loc) throws(Unwind) -> Value {
        let p = fn.proto
        let nf = try enter(p.frameSize, l)
        if p.needsCallee { nf.fill(.function(fn)) }
        (nf + 1).fill(x)
        (nf + 2).fill(y)
        return try run(p, nf, l)
    }

    @inline(never)
    func call3(_ fn: Function, _ x: consuming Value, _ y: consuming Value, _ z: consuming Value, _ l: Loc) throws(Unwind) -> Value {
        let p = fn.proto
        let nf = try enter(p.frameSize, l)
        if p.needsCallee { nf.fill(.function(fn)) }
        (nf + 1).fill(x)
        (nf + 2).fill(y)
        (nf + 3).fill(z)
        return try run(p, nf, l)
    }

    /// Any arity: `args.count` must equal the function's arity.
    func callN(_ fn: Function, _ args: [Value], _ l: Loc) throws(Unwind) -> Value {
        let p = fn.proto
        let nf = try enter(p.frameSize, l)
        if p.needsCallee { nf.fill(.function(fn)) }
        for (i, v) in args.enumerated() { (nf + i + 1).fill(v) }
        return try run(p, nf, l)
    }
}
