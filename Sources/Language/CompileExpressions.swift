/// Expression compilation, with the specialisations that matter for speed.
protocol NumberOperation { static func apply(_ a: Double, _ b: Double) -> Double }
enum AddOperation: NumberOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a + b } }
enum SubtractOperation: NumberOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a - b } }
enum MultiplyOperation: NumberOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a * b } }

protocol CompareOperation { static func apply(_ a: Double, _ b: Double) -> Bool }
enum LessOperation: CompareOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Bool { a < b } }
enum LessEqualOperation: CompareOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Bool { a <= b } }
enum GreaterOperation: CompareOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Bool { a > b } }
enum GreaterEqualOperation: CompareOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Bool { a >= b } }
enum EqualOperation: CompareOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Bool { a == b } }
enum NotEqualOperation: CompareOperation { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Bool { a != b } }

extension Compiler {
    func expr(_ e: RExpr, tail: Bool = false) -> Code {
        switch e {
        case .constant(let v, _):
            return { _, _ in v }
        case .variable(let place, let name, let pos):
            return read(place, name, loc(pos))
        case .interpolation(let parts, _):
            var codes: [TextCode] = []
            for part in parts { codes.append(interpolationPart(part)) }
            return { m, f throws(Unwind) in
                var out = ""
                for c in codes {
                    out += try c(m, f)
                    if out.utf8.count > m.config.maxCollectionLength { throw m.tooLong(nil) }
                }
                return .string(out)
            }
        case .list(let items, _):
            let codes = items.map { expr($0) }
            return { m, f throws(Unwind) in
                var out: [Value] = []
                out.reserveCapacity(codes.count)
                for c in codes { out.append(try c(m, f)) }
                return .list(ListBox(out))
            }
        case .record(let keys, let values, _):
            let codes = values.map { expr($0) }
            return { m, f throws(Unwind) in
                var pairs: [(String, Value)] = []
                pairs.reserveCapacity(keys.count)
                for (k, c) in zip(keys, codes) { pairs.append((k, try c(m, f))) }
                return .record(RecordBox(pairs))
            }
        case .unary(let op, let a, let pos):
            let c = expr(a), l = loc(pos)
            if op == .negate {
                return { m, f throws(Unwind) in
                    let x = try c(m, f)
                    if case .number(let d) = x { return .number(-d) }
                    return try m.unary(op, x, l)
                }
            }
            return { m, f throws(Unwind) in try m.unary(op, try c(m, f), l) }
        case .binary(let op, let a, let b, let pos):
            return binary(op, a, b, loc(pos))
        case .and, .or:
            let c = cond(e)
            return { m, f throws(Unwind) in .bool(try c(m, f)) }
        case .call(let callee, let args, let named, let pos):
            return call(callee, args, named, loc(pos))
        case .methodCall(let obj, let name, let args, let named, let pos):
            let o = expr(obj), l = loc(pos)
            let a = args.map { expr($0) }
            let names = named.map(\.0), nv = named.map { expr($0.1) }
            return { m, f throws(Unwind) in
                let receiver = try o(m, f)
                var values: [Value] = []
                values.reserveCapacity(a.count)
                for c in a { values.append(try c(m, f)) }
                var pairs: [(String, Value)] = []
                for (k, c) in zip(names, nv) { pairs.append((k, try c(m, f))) }
                return try m.callMethod(receiver, name, values, pairs, l)
            }
        case .member(let obj, let name, let pos):
            let o = expr(obj), l = loc(pos)
            return { m, f throws(Unwind) in try m.member(try o(m, f), name, l) }
        case .index(let obj, let items, let pos):
            let o = expr(obj), l = loc(pos)
            if items.count == 1, case .value(let ie) = items[0] {
                let i = expr(ie)
                return { m, f throws(Unwind) in
                    let container = try o(m, f)
                    let index = try i(m, f)
                    if case .list(let box) = container, case .number(let d) = index, let k = exactInt(d), k >= 0, k < box.items.count {
                        return box.items[k]
                    }
                    return try m.index(container, [.value(index)], l)
                }
            }
            let idx = indexCode(items)
            return { m, f throws(Unwind) in try m.index(try o(m, f), try idx(m, f), l) }
        case .function(let rf):
            return function(rf)
        case .ifElse(let c, let then, let otherwise, _):
            if let otherwise, let fused = ifSlotCompare(c, then, otherwise, tail: tail) { return fused }
            let cc = cond(c)
            let t = block(then, tail: tail)
            guard let otherwise else {
                return { m, f throws(Unwind) in try cc(m, f) ? try t(m, f) : .null }
            }
            let o = block(otherwise, tail: tail)
            return { m, f throws(Unwind) in try cc(m, f) ? try t(m, f) : try o(m, f) }
        }
    }

    typealias TextCode = (Machine, Frame) throws(Unwind) -> String

    private func interpolationPart(_ part: RInterpolationPart) -> TextCode {
        switch part {
        case .text(let s): return { _, _ in s }
        case .expr(let e):
            let c = expr(e)
            return { m, f throws(Unwind) in ValueText.text(try c(m, f), width: m.config.displayWidth) }
        }
    }

    /// Compiles an expression used as a condition straight to a Bool.
    func cond(_ e: RExpr) -> Cond {
        switch e {
        case .constant(.bool(let b), _):
            return { _, _ in b }
        case .and(let a, let b, _):
            let ca = cond(a), cb = cond(b)
            return { m, f throws(Unwind) in try ca(m, f) ? try cb(m, f) : false }
        case .or(let a, let b, _):
            let ca = cond(a), cb = cond(b)
            return { m, f throws(Unwind) in try ca(m, f) ? true : try cb(m, f) }
        case .unary(.not, let a, let pos):
            if case .binary = a {} else if case .and = a {} else if case .or = a {} else {
                let c = expr(a), l = loc(pos)
                return { m, f throws(Unwind) in
                    let v = try c(m, f)
                    if case .bool(let b) = v { return !b }
                    let r = try m.unary(.not, v, l)
                    return try m.truth(r, "condition", l)
                }
            }
            let c = cond(a)
            return { m, f throws(Unwind) in !(try c(m, f)) }
        case .binary(let op, let a, let b, let pos):
            let l = loc(pos)
            switch op {
            case .less: return compare(LessOperation.self, op, a, b, l)
            case .lessEqual: return compare(LessEqualOperation.self, op, a, b, l)
            case .greater: return compare(GreaterOperation.self, op, a, b, l)
            case .greaterEqual: return compare(GreaterEqualOperation.self, op, a, b, l)
            case .equal: return compare(EqualOperation.self, op, a, b, l)
            case .notEqual: return compare(NotEqualOperation.self, op, a, b, l)
            default: break
            }
            fallthrough
        default:
            let c = expr(e), l = loc(position(e))
            return { m, f throws(Unwind) in try m.truth(try c(m, f), "condition", l) }
        }
    }

    func position(_ e: RExpr) -> Int {
        switch e {
        case .variable(_, _, let p), .interpolation(_, let p), .list(_, let p), .record(_, _, let p), .unary(_, _, let p),
             .binary(_, _, _, let p), .and(_, _, let p), .or(_, _, let p), .call(_, _, _, let p),
             .methodCall(_, _, _, _, let p), .member(_, _, let p), .index(_, _, let p), .ifElse(_, _, _, let p):
            return p
        case .function(let rf): return rf.position
        case .constant(_, let p): return p
        }
    }

    /// `local op number` with a plain local: its slot, the number, the operator and its location.
    func slotConstant(_ e: RExpr) -> (Int, Double, BinaryOperator, Loc)? {
        if case .binary(let op, let a, .constant(.number(let k), _), let pos) = e, let s = slot(a) { return (s, k, op, loc(pos)) }
        return nil
    }

    /// A direct slot read, when `e` is a plain (uncaptured) local.
    func slot(_ e: RExpr) -> Int? {
        if case .variable(.local(let v), _, _) = e, !v.captured { return v.slot }
        return nil
    }

    /// `if n < 2 { ... } else { ... }` with a plain local and a number: the comparison runs
    /// inside the branch's code instead of as a condition of its own.
    private func ifSlotCompare(_ c: RExpr, _ then: [RStmt], _ otherwise: [RStmt], tail: Bool) -> Code? {
        guard let (s, k, op, l) = slotConstant(c) else { return nil }
        func make<O: CompareOperation>(_: O.Type) -> Code {
            let t = block(then, tail: tail), o = block(otherwise, tail: tail)
            return { m, f throws(Unwind) in
                let yes: Bool
                if case .number(let x) = f[s] { yes = O.apply(x, k) } else {
                    yes = try m.truth(try m.binary(op, f[s], .number(k), l), "condition", l)
                }
                return yes ? try t(m, f) : try o(m, f)
            }
        }
        switch op {
        case .less: return make(LessOperation.self)
        case .lessEqual: return make(LessEqualOperation.self)
        case .greater: return make(GreaterOperation.self)
        case .greaterEqual: return make(GreaterEqualOperation.self)
        case .equal: return make(EqualOperation.self)
        case .notEqual: return make(NotEqualOperation.self)
        default: return nil
        }
    }

    private func compare<O: CompareOperation>(_: O.Type, _ op: BinaryOperator, _ a: RExpr, _ b: RExpr, _ l: Loc) -> Cond {
        @inline(__always) func slow(_ m: Machine, _ x: Value, _ y: Value) throws(Unwind) -> Bool {
            try m.truth(try m.binary(op, x, y, l), "condition", l)
        }
        if let s = slot(a), case .constant(.number(let k), _) = b {
            return { m, f throws(Unwind) in
                if case .number(let x) = f[s] { return O.apply(x, k) }
                return try slow(m, f[s], .number(k))
            }
        }
        if let sa = slot(a), let sb = slot(b) {
            return { m, f throws(Unwind) in
                if case .number(let x) = f[sa], case .number(let y) = f[sb] { return O.apply(x, y) }
                return try slow(m, f[sa], f[sb])
            }
        }
        let ca = expr(a), cb = expr(b)
        if case .constant(.number(let k), _) = b {
            return { m, f throws(Unwind) in
                let x = try ca(m, f)
                if case .number(let d) = x { return O.apply(d, k) }
                return try slow(m, x, .number(k))
            }
        }
        return { m, f throws(Unwind) in
            let x = try ca(m, f), y = try cb(m, f)
            if case .number(let d) = x, case .number(let e) = y { return O.apply(d, e) }
            return try slow(m, x, y)
        }
    }

    /// A comparison whose value is used (not a condition): numbers compare inline; other
    /// values go through the operator dispatch and keep its result (natives such as
    /// tensors compare elementwise).
    private func valueCompare<O: CompareOperation>(_: O.Type, _ op: BinaryOperator, _ a: RExpr, _ b: RExpr, _ l: Loc) -> Code {
        let ca = expr(a), cb = expr(b)
        return { m, f throws(Unwind) in
            let x = try ca(m, f), y = try cb(m, f)
            if case .number(let d) = x, case .number(let e) = y { return .bool(O.apply(d, e)) }
            return try m.binary(op, x, y, l)
        }
    }

    func binary(_ op: BinaryOperator, _ a: RExpr, _ b: RExpr, _ l: Loc) -> Code {
        switch op {
        case .add: return arithmetic(AddOperation.self, op, a, b, l)
        case .subtract: return arithmetic(SubtractOperation.self, op, a, b, l)
        case .multiply: return arithmetic(MultiplyOperation.self, op, a, b, l)
        case .less: return valueCompare(LessOperation.self, op, a, b, l)
        case .lessEqual: return valueCompare(LessEqualOperation.self, op, a, b, l)
        case .greater: return valueCompare(GreaterOperation.self, op, a, b, l)
        case .greaterEqual: return valueCompare(GreaterEqualOperation.self, op, a, b, l)
        case .equal: return valueCompare(EqualOperation.self, op, a, b, l)
        case .notEqual: return valueCompare(NotEqualOperation.self, op, a, b, l)
        default:
            break
        }
        let ca = expr(a), cb = expr(b)
        switch op {
        case .divide, .floorDivide, .modulo, .power:
            return { m, f throws(Unwind) in
                let x = try ca(m, f), y = try cb(m, f)
                if case .number(let d) = x, case .number(let e) = y { return .number(try m.arithmetic(op, d, e, l)) }
                return try m.binary(op, x, y, l)
            }
        default:
            return { m, f throws(Unwind) in try m.binary(op, try ca(m, f), try cb(m, f), l) }
        }
    }

    private func arithmetic<O: NumberOperation>(_: O.Type, _ op: BinaryOperator, _ a: RExpr, _ b: RExpr, _ l: Loc) -> Code {
        if let sa = slot(a), let sb = slot(b) {
            return { m, f throws(Unwind) in
                if case .number(let x) = f[sa], case .number(let y) = f[sb] { return .number(O.apply(x, y)) }
                return try m.binary(op, f[sa], f[sb], l)
            }
        }
        if let sa = slot(a), case .constant(.number(let k), _) = b {
            return { m, f throws(Unwind) in
                if case .number(let x) = f[sa] { return .number(O.apply(x, k)) }
                return try m.binary(op, f[sa], .number(k), l)
            }
        }
        let ca = expr(a), cb = expr(b)
        if case .constant(.number(let k), _) = b {
            return { m, f throws(Unwind) in
                let x = try ca(m, f)
                if case .number(let d) = x { return .number(O.apply(d, k)) }
                return try m.binary(op, x, .number(k), l)
            }
        }
        return { m, f throws(Unwind) in
            let x = try ca(m, f), y = try cb(m, f)
            if case .number(let d) = x, case .number(let e) = y { return .number(O.apply(d, e)) }
            return try m.binary(op, x, y, l)
        }
    }
}
