/// Calls of a function read from a global slot without retaining it. The global keeps the
/// function alive unless it is overwritten during the call; `Globals.set` then sees
/// `borrowers > 0` and retires the function (takes a retain it owes) instead of releasing
/// it, and the last borrowed call to return pays the debt. Counting is non-atomic: the
/// evaluator is single-threaded.
extension Function {
    @inline(never)
    func retire() {
        owed += 1
        _ = Unmanaged.passUnretained(self).retain()
    }

    /// Releases the retains taken by `retire`; `self` may be freed: nothing may touch it after.
    @inline(never)
    func settle() {
        let n = owed
        owed = 0
        for _ in 0..<n { Unmanaged.passUnretained(self).release() }
    }
}

extension UnsafePointer where Pointee == Value {
    /// The function held by this slot, unretained; nil for any other value.
    @inline(__always)
    var borrowedFunction: Unmanaged<Function>? {
        if case .function(let fn) = pointee { return .passUnretained(fn) }
        return nil
    }
}

extension Machine {
    @inline(never)
    func callBorrowed0(_ fn: Function, _ l: Loc) throws(Unwind) -> Value {
        fn.borrowers += 1
        defer {
            fn.borrowers -= 1
            if fn.borrowers == 0, fn.owed > 0 { fn.settle() }
        }
        return try call0(fn, l)
    }

    @inline(__always)
    func callBorrowed1(_ fn: Function, _ x: consuming Value, _ l: Loc) throws(Unwind) -> Value {
        fn.borrowers += 1
        defer {
            fn.borrowers -= 1
            if fn.borrowers == 0, fn.owed > 0 { fn.settle() }
        }
        return try enterAndRun1(fn, x, l)
    }
}

extension Unmanaged where Instance == Function {
    /// Runs `body` with the function as a borrowed (+0) reference: no retain or release.
    @inline(__always)
    func borrow(_ body: (Function) throws(Unwind) -> Value) throws(Unwind) -> Value {
        let r: Result<Value, Unwind> = _withUnsafeGuaranteedRef { fn in Result { () throws(Unwind) in try body(fn) } }
        return try r.get()
    }
}
