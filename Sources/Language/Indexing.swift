/// Indexing, slicing, members and iteration of values.
extension Machine {
    func integer(_ v: Value, _ what: String, _ loc: Loc?) throws(Unwind) -> Int {
        guard case .number(let d) = v else { throw fail("\(what) must be an integer, not \(v.typeName)", at: loc) }
        guard let i = exactInt(d) else { throw fail("\(what) must be an integer, got \(ValueText.number(d))", at: loc) }
        return i
    }

    /// Resolves a (possibly negative) index into `0..<count`.
    func position(_ v: Value, count: Int, _ what: String, _ loc: Loc?) throws(Unwind) -> Int {
        let i = try integer(v, "\(what) index", loc)
        let k = i < 0 ? i + count : i
        guard k >= 0, k < count else { throw fail("\(what) index \(i) out of range (length \(count))", at: loc) }
        return k
    }

    /// Python slice semantics: the positions selected by `start:stop:step` in `0..<count`.
    func slicePositions(_ start: Value?, _ stop: Value?, _ step: Value?, count: Int, _ loc: Loc?) throws(Unwind) -> [Int] {
        func bound(_ v: Value?) throws(Unwind) -> Int? {
            guard let v, !v.isNil else { return nil }
            return try integer(v, "slice bound", loc)
        }
        let st = try bound(step) ?? 1
        if st == 0 { throw fail("slice step cannot be zero", at: loc) }
        let lower = st > 0 ? 0 : -1, upper = st > 0 ? count : count - 1
        func clamp(_ b: Int?, _ dflt: Int) -> Int {
            guard let b else { return dflt }
            return b < 0 ? max(b + count, lower) : min(b, upper)
        }
        var i = clamp(try bound(start), st > 0 ? lower : upper)
        let end = clamp(try bound(stop), st > 0 ? upper : lower)
        var out: [Int] = []
        while st > 0 ? i < end : i > end { out.append(i); i += st }
        return out
    }

    func index(_ container: Value, _ items: [IndexComponent], _ loc: Loc?) throws(Unwind) -> Value {
        if case .object(let o) = container {
            do throws(NativeError) {
                if let r = try o.`subscript`(items, context) { return r }
            } catch { throw native(error, loc) }
            throw fail("\(o.typeName) does not support indexing", at: loc)
        }
        guard items.count == 1 else {
            throw fail("a \(container.typeName) takes one index, got \(items.count)", hint: "index step by step: a[i][j]", at: loc)
        }
        switch (container, items[0]) {
        case (.list(let l), .value(let i)):
            return l.items[try position(i, count: l.items.count, "list", loc)]
        case (.list(let l), .slice(let a, let b, let c)):
            let ps = try slicePositions(a, b, c, count: l.items.count, loc)
            return .list(ListBox(ps.map { l.items[$0] }))
        case (.string(let s), .value(let i)):
            let chars = Array(s)
            return .string(String(chars[try position(i, count: chars.count, "string", loc)]))
        case (.string(let s), .slice(let a, let b, let c)):
            let chars = Array(s)
            let ps = try slicePositions(a, b, c, count: chars.count, loc)
            return .string(String(ps.map { chars[$0] }))
        case (.record(let r), .value(let k)):
            guard case .string(let key) = k else { throw fail("record keys are strings, not \(k.typeName)", at: loc) }
            guard let v = r[key] else { throw noField(r, key, loc) }
            return v
        case (.range(let r), .value(let i)):
            let n = try integer(i, "range index", loc)
            let k = n < 0 ? Double(n) + r.count : Double(n)
            guard k >= 0, k < r.count else { throw fail("range index \(n) out of range (length \(ValueText.number(r.count)))", at: loc) }
            return .number(r.element(k))
        case (.record, .slice), (.range, .slice):
            throw fail("cannot slice a \(container.typeName)", hint: container.typeName == "range" ? "convert with list(r) first" : nil, at: loc)
        default:
            throw fail("cannot index a \(container.typeName)", at: loc)
        }
    }

    func noField(_ r: RecordBox, _ key: String, _ loc: Loc?) -> Unwind {
        let hint = suggestion(key, among: r.keys).map { "did you mean '\($0)'?" }
            ?? (r.keys.isEmpty ? "the record is empty" : "its fields: \(r.keys.prefix(8).joined(separator: ", "))")
        return fail("record has no field '\(key)'", hint: hint, at: loc)
    }

    func setIndex(_ container: Value, _ items: [IndexComponent], _ value: Value, _ loc: Loc?) throws(Unwind) {
        switch container {
        case .object(let o):
            let ok: Bool
            do throws(NativeError) { ok = try o.setSubscript(items, value, context) } catch { throw native(error, loc) }
            if !ok { throw fail("\(o.typeName) does not support item assignment", at: loc) }
            return
        case .list(let l):
            guard items.count == 1, case .value(let i) = items[0] else {
                throw fail("a list element assignment takes one index", at: loc)
            }
            l.items[try position(i, count: l.items.count, "list", loc)] = value
        case .record(let r):
            guard items.count == 1, case .value(let k) = items[0] else {
                throw fail("a record field assignment takes one index, got \(items.count)", at: loc)
            }
            guard case .string(let key) = k else { throw fail("record keys are strings, not \(k.typeName)", at: loc) }
            r[key] = value
        case .string:
            throw fail("strings are immutable", hint: "build a new string, e.g. with slices and '+'", at: loc)
        default:
            throw fail("cannot assign into a \(container.typeName)", at: loc)
        }
    }

    /// `value.name` (not called).
    func member(_ value: Value, _ name: String, _ loc: Loc?) throws(Unwind) -> Value {
        switch value {
        case .record(let r):
            if let v = r[name] { return v }
            if let m = method(for: value, name) { return bind(m, to: value) }
            throw noField(r, name, loc)
        case .object(let o):
            do throws(NativeError) {
                if let v = try o.member(name, context) { return v }
            } catch { throw native(error, loc) }
            throw noMember(value, name, loc)
        default:
            if let m = method(for: value, name) { return bind(m, to: value) }
            throw noMember(value, name, loc)
        }
    }

    func noMember(_ value: Value, _ name: String, _ loc: Loc?) -> Unwind {
        let names = memberNames(of: value)
        let hint = suggestion(name, among: names).map { "did you mean '\($0)'?" }
        return fail("\(value.typeName) has no member '\(name)'", hint: hint, at: loc)
    }

    func memberNames(of value: Value) -> [String] {
        var names: [String] = []
        switch value {
        case .record(let r): names = r.keys
        case .object(let o): names = o.memberNames
        default: break
        }
        names += (interpreter?.methods[value.typeName] ?? [:]).keys.sorted()
        return names
    }

    func method(for value: Value, _ name: String) -> Value? {
        interpreter?.methods[value.typeName]?[name]
    }

    func bind(_ method: Value, to receiver: Value) -> Value {
        switch method {
        case .native(let n): return .native(n.bound(to: receiver))
        default:
            let name: String = if case .function(let f) = method { f.proto.name } else { "method" }
            return .native(NativeFunction(name, variadic: true) { args, ctx throws(NativeError) in
                try ctx.call(method, [receiver] + args.positional, named: args.named)
            })
        }
    }

    func setMember(_ target: Value, _ name: String, _ value: Value, _ loc: Loc?) throws(Unwind) {
        switch target {
        case .record(let r): r[name] = value
        case .object(let o):
            let ok: Bool
            do throws(NativeError) { ok = try o.setMember(name, value, context) } catch { throw native(error, loc) }
            if !ok { throw fail("cannot set member '\(name)' of \(o.typeName)", at: loc) }
        default:
            throw fail("cannot set member '\(name)' of a \(target.typeName)", hint: "only records have assignable fields", at: loc)
        }
    }

    /// Elements of an iterable, materialized (lists are snapshotted so loops see a stable sequence).
    func elements(_ v: Value, _ loc: Loc?) throws(Unwind) -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .string(let s): return s.map { .string(String($0)) }
        case .record(let r): return r.keys.map { .string($0) }
        case .range(let r):
            guard r.count <= Double(config.maxCollectionLength) else { throw tooLong(loc) }
            return (0..<Int(r.count)).map { .number(r.element(Double($0))) }
        case .object(let o):
            do throws(NativeError) {
                if let items = try o.iterate(context) { return items }
            } catch { throw native(error, loc) }
            throw fail("cannot iterate over \(o.typeName)", at: loc)
        default:
            throw fail("cannot iterate over \(v.typeName)", hint: "for-in works on lists, ranges, strings and records", at: loc)
        }
    }
}

/// The closest candidate by edit distance, when close enough to be a likely typo.
func suggestion(_ name: String, among candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
    let n = Array(name)
    guard n.count <= 40 else { return nil }
    var best: (String, Int)?
    for c in candidates where c != name && c.count <= 40 {
        let d = distance(n, Array(c))
        if d <= max(1, n.count / 3), best.map({ d < $0.1 }) ?? true { best = (c, d) }
    }
    return best?.0
}
