import Foundation

/// Semantics of the operators on values: the slow, general paths. The compiler inlines
/// number fast paths and falls back here.
extension Machine {
    func typeError(_ op: BinaryOperator, _ a: Value, _ b: Value, _ loc: Loc?) -> Unwind {
        var hint: String?
        if op == .add, a.stringValue != nil || b.stringValue != nil {
            hint = "convert with str(x), or interpolate: \"text {x}\""
        } else if op == .matmul {
            hint = "'@' is matrix multiplication; it needs tensors"
        }
        return fail("unsupported operand types for '\(op.rawValue)': \(a.typeName) and \(b.typeName)", hint: hint, at: loc)
    }

    func native(_ error: NativeError, _ loc: Loc?) -> Unwind {
        if let f = error.failure { f.passThroughNative(callSite: loc); return .failure(f) }
        return fail(error.message, hint: error.hint, at: loc)
    }

    @inline(never)
    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ loc: Loc?) throws(Unwind) -> Value {
        if case .object(let o) = a {
            let r: Value?
            do throws(NativeError) { r = try o.binary(op, b, selfOnLeft: true, context) } catch { throw native(error, loc) }
            if let r { try pollAfterNative(loc); return r }
        }
        if case .object(let o) = b {
            let r: Value?
            do throws(NativeError) { r = try o.binary(op, a, selfOnLeft: false, context) } catch { throw native(error, loc) }
            if let r { try pollAfterNative(loc); return r }
        }
        switch op {
        case .equal, .notEqual:
            guard let eq = Machine.equal(a, b, 0) else { throw fail("values nested too deeply to compare", at: loc) }
            return .bool(eq == (op == .equal))
        case .less, .lessEqual, .greater, .greaterEqual:
            guard let c = try compare(a, b, loc, 0) else { throw typeError(op, a, b, loc) }
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .contains:
            return .bool(try contains(b, a, loc))
        default: break
        }
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .number(try arithmetic(op, x, y, loc))
        case (.string(let x), .string(let y)) where op == .add:
            guard x.utf8.count + y.utf8.count <= config.maxCollectionLength else { throw tooLong(loc) }
            return .string(x + y)
        case (.list(let x), .list(let y)) where op == .add:
            guard x.items.count + y.items.count <= config.maxCollectionLength else { throw tooLong(loc) }
            return .list(ListBox(x.items + y.items))
        case (.string(let s), .number(let n)) where op == .multiply, (.number(let n), .string(let s)) where op == .multiply:
            let k = try repeatCount(n, loc)
            guard s.utf8.count * k <= config.maxCollectionLength else { throw tooLong(loc) }
            return .string(String(repeating: s, count: k))
        case (.list(let l), .number(let n)) where op == .multiply, (.number(let n), .list(let l)) where op == .multiply:
            let k = try repeatCount(n, loc)
            guard l.items.count * k <= config.maxCollectionLength else { throw tooLong(loc) }
            var items: [Value] = []
            items.reserveCapacity(l.items.count * k)
            for _ in 0..<k { items += l.items }
            return .list(ListBox(items))
        default:
            throw typeError(op, a, b, loc)
        }
    }

    func tooLong(_ loc: Loc?) -> Unwind {
        fail("result too large (limit \(config.maxCollectionLength) elements)", at: loc)
    }

    private func repeatCount(_ n: Double, _ loc: Loc?) throws(Unwind) -> Int {
        guard let k = exactInt(n), k >= 0 else {
            throw fail("repeat count must be a non-negative integer, got \(ValueText.number(n))", at: loc)
        }
        guard k <= config.maxCollectionLength else { throw tooLong(loc) }
        return k
    }

    @inline(__always)
    func arithmetic(_ op: BinaryOperator, _ x: Double, _ y: Double, _ loc: Loc?) throws(Unwind) -> Double {
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide:
            if y == 0 { throw fail("division by zero", at: loc) }
            return x / y
        case .floorDivide:
            if y == 0 { throw fail("division by zero", at: loc) }
            return (x / y).rounded(.down)
        case .modulo:
            if y == 0 { throw fail("modulo by zero", at: loc) }
            var r = fmod(x, y)
            if r != 0, (r < 0) != (y < 0) { r += y }
            return r
        case .power: return pow(x, y)
        default: throw typeError(op, .number(x), .number(y), loc)
        }
    }

    /// Structural equality; nil when the values nest too deeply to compare.
    static func equal(_ a: Value, _ b: Value, _ depth: Int) -> Bool? {
        var pairs: Set<BoxPair> = []
        return equal(a, b, depth, &pairs)
    }

    /// Two containers already being compared (or found equal) in one comparison: met
    /// again, they count as equal, so lists sharing their rows (`a = [a, a]`, forty times)
    /// compare in time linear in their distinct parts, not exponential.
    struct BoxPair: Hashable {
        let a: ObjectIdentifier, b: ObjectIdentifier
    }

    private static func equal(_ a: Value, _ b: Value, _ depth: Int, _ pairs: inout Set<BoxPair>) -> Bool? {
        if depth > 200 { return nil }
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)):
            if x === y { return true }
            guard x.items.count == y.items.count else { return false }
            guard pairs.insert(BoxPair(a: ObjectIdentifier(x), b: ObjectIdentifier(y))).inserted else { return true }
            for i in x.items.indices {
                guard let e = equal(x.items[i], y.items[i], depth + 1, &pairs) else { return nil }
                if !e { return false }
            }
            return true
        case (.record(let x), .record(let y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            guard pairs.insert(BoxPair(a: ObjectIdentifier(x), b: ObjectIdentifier(y))).inserted else { return true }
            for (i, key) in x.keys.enumerated() {
                guard let other = y[key] else { return false }
                guard let e = equal(x.values[i], other, depth + 1, &pairs) else { return nil }
                if !e { return false }
            }
            return true
        case (.range(let x), .range(let y)): return x.start == y.start && x.stop == y.stop && x.step == y.step
        case (.function(let x), .function(let y)): return x === y
        case (.native(let x), .native(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        default: return false
        }
    }

    /// Ordering of numbers, strings and lists (lexicographic); nil = not comparable.
    func compare(_ a: Value, _ b: Value, _ loc: Loc?, _ depth: Int) throws(Unwind) -> Int? {
        var pairs: Set<BoxPair> = []
        return try compare(a, b, loc, depth, &pairs)
    }

    /// As `equal`: a pair of lists met again compares as equal (0), the only result that
    /// lets a comparison go on.
    private func compare(_ a: Value, _ b: Value, _ loc: Loc?, _ depth: Int, _ pairs: inout Set<BoxPair>) throws(Unwind) -> Int? {
        if depth > 200 { throw fail("values nested too deeply to compare", at: loc) }
        switch (a, b) {
        case (.number(let x), .number(let y)):
            if x.isNaN || y.isNaN { return x.isNaN && y.isNaN ? 0 : (x.isNaN ? 1 : -1) }
            return x < y ? -1 : (x > y ? 1 : 0)
        case (.string(let x), .string(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.list(let x), .list(let y)):
            if x === y { return 0 }
            guard pairs.insert(BoxPair(a: ObjectIdentifier(x), b: ObjectIdentifier(y))).inserted else { return 0 }
            for i in 0..<min(x.items.count, y.items.count) {
                guard let c = try compare(x.items[i], y.items[i], loc, depth + 1, &pairs) else { return nil }
                if c != 0 { return c }
            }
            return x.items.count < y.items.count ? -1 : (x.items.count > y.items.count ? 1 : 0)
        default: return nil
        }
    }

    /// `needle in haystack`.
    func contains(_ haystack: Value, _ needle: Value, _ loc: Loc?) throws(Unwind) -> Bool {
        switch haystack {
        case .list(let l):
            for item in l.items {
                guard let e = Machine.equal(item, needle, 0) else { throw fail("values nested too deeply to compare", at: loc) }
                if e { return true }
            }
            return false
        case .string(let s):
            guard case .string(let sub) = needle else {
                throw fail("'in' on a string needs a string on the left, not \(needle.typeName)", at: loc)
            }
            return sub.isEmpty || s.contains(sub)
        case .record(let r):
            guard case .string(let key) = needle else {
                throw fail("'in' on a record needs a field name string on the left, not \(needle.typeName)", at: loc)
            }
            return r[key] != nil
        case .range(let r):
            guard case .number(let x) = needle else { return false }
            let k = (x - r.start) / r.step
            return k == k.rounded() && k >= 0 && k < r.count
        default:
            throw fail("cannot use 'in' with \(haystack.typeName)", hint: "'in' works on lists, strings, records and ranges", at: loc)
        }
    }

    func unary(_ op: UnaryOperator, _ a: Value, _ loc: Loc?) throws(Unwind) -> Value {
        if case .object(let o) = a {
            let r: Value?
            do throws(NativeError) { r = try o.unary(op, context) } catch { throw native(error, loc) }
            if let r { try pollAfterNative(loc); return r }
        }
        switch (op, a) {
        case (.negate, .number(let x)): return .number(-x)
        case (.plus, .number(let x)): return .number(x)
        case (.not, .bool(let b)): return .bool(!b)
        case (.not, .object(let o)):
            if let truth = o.truth { return .bool(!truth) }
            fallthrough
        case (.not, _):
            throw fail("'not' needs a bool, not \(a.typeName)", hint: "compare explicitly, e.g. 'x == nil' or 'len(xs) == 0'", at: loc)
        default:
            throw fail("unsupported operand type for unary '\(op.rawValue)': \(a.typeName)", at: loc)
        }
    }

    /// The truth of a condition: bools only (and natives that define one).
    @inline(__always)
    func truth(_ v: Value, _ what: String, _ loc: Loc?) throws(Unwind) -> Bool {
        if case .bool(let b) = v { return b }
        return try slowTruth(v, what, loc)
    }

    @inline(never)
    func slowTruth(_ v: Value, _ what: String, _ loc: Loc?) throws(Unwind) -> Bool {
        if case .object(let o) = v, let t = o.truth { return t }
        throw fail("\(what) must be a bool, not \(v.typeName)",
                   hint: "compare explicitly, e.g. 'x != 0', 'x != nil' or 'len(xs) > 0'", at: loc)
    }
}
