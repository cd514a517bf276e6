/// `x += v`, `x -= v`, `x *= v` on an uncaptured local or a global: numbers are updated in
/// place (the old value is a number, so nothing is released); anything else goes through
/// the operator dispatch out of line. `/=` keeps the general path (division by zero).
extension Compiler {
    func localCompound(_ op: AssignOperator, _ s: Int, _ v: @escaping Code, _ l: Loc) -> Code? {
        switch op {
        case .add: localCompound(AddOperation.self, .add, s, v, l)
        case .subtract: localCompound(SubtractOperation.self, .subtract, s, v, l)
        case .multiply: localCompound(MultiplyOperation.self, .multiply, s, v, l)
        case .divide: nil
        }
    }

    func globalCompound(_ op: AssignOperator, _ g: Int, _ name: String, _ v: @escaping Code, _ l: Loc) -> Code? {
        switch op {
        case .add: globalCompound(AddOperation.self, .add, g, name, v, l)
        case .subtract: globalCompound(SubtractOperation.self, .subtract, g, name, v, l)
        case .multiply: globalCompound(MultiplyOperation.self, .multiply, g, name, v, l)
        case .divide: nil
        }
    }

    private func localCompound<O: NumberOperation>(_: O.Type, _ bop: BinaryOperator, _ s: Int, _ v: @escaping Code, _ l: Loc) -> Code {
        { m, f throws(Unwind) in
            let y = try v(m, f)
            let p = f + s
            if case .number(let a) = p.pointee, case .number(let b) = y {
                p.initialize(to: .number(O.apply(a, b)))
                return .null
            }
            try m.compound(bop, p, y, l)
            return .null
        }
    }

    private func globalCompound<O: NumberOperation>(_: O.Type, _ bop: BinaryOperator, _ g: Int, _ name: String,
                                                    _ v: @escaping Code, _ l: Loc) -> Code {
        { m, f throws(Unwind) in
            let y = try v(m, f)
            guard m.globals.defined[g], !m.globals.isConst[g] else { throw m.cannotAssign(g, name, l) }
            let p = m.globals.numberSlot(g)
            if case .number(let a) = p.pointee, case .number(let b) = y {
                p.initialize(to: .number(O.apply(a, b)))
                return .null
            }
            m.globals.set(g, try m.binary(bop, p.pointee, y, l))
            return .null
        }
    }
}

extension Machine {
    /// `*p = *p op y` through the operator dispatch (non-numbers, natives).
    @inline(never)
    func compound(_ op: BinaryOperator, _ p: UnsafeMutablePointer<Value>, _ y: Value, _ l: Loc) throws(Unwind) {
        p.pointee = try binary(op, p.pointee, y, l)
    }

    /// Why global `g` cannot be assigned: undefined or constant.
    @inline(never)
    func cannotAssign(_ g: Int, _ name: String, _ l: Loc) -> Unwind {
        guard globals.defined[g] else { return undefined(name, l, assigning: true) }
        return fail("cannot assign to constant '\(name)'", hint: "declare it with 'var' to make it mutable", at: l)
    }
}
