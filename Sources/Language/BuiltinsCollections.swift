/// List and record builtins (also reachable as methods: `xs.push(1)`, `r.keys()`).
extension Builtins {
    static func collections(_ interp: Interpreter) {
        let push: NativeFunction.Body = { args, _ throws(NativeError) in
            try args.list(0).items.append(args[1])
            return .null
        }
        fn(interp, "push", "Appends a value to the end of a list.\nExample: xs.push(4)", [Param("list"), Param("value")], push)
        fn(interp, "append", "Appends a value to the end of a list (same as push).", [Param("list"), Param("value")], push)
        fn(interp, "pop", "Removes and returns the last element (or the one at `index`).",
           [Param("list"), Param("index", default: .null)]) { args, _ throws(NativeError) in
            let l = try args.list(0)
            guard !l.items.isEmpty else { throw NativeError("pop from an empty list") }
            if args[1].isNil { return l.items.removeLast() }
            let i = try args.int(1)
            let k = i < 0 ? i + l.items.count : i
            guard k >= 0, k < l.items.count else { throw NativeError("pop index \(i) out of range (length \(l.items.count))") }
            return l.items.remove(at: k)
        }
        fn(interp, "insert", "Inserts a value before position `index`.", [Param("list"), Param("index"), Param("value")]) { args, _ throws(NativeError) in
            let l = try args.list(0)
            let i = try args.int(1)
            let k = min(max(i < 0 ? i + l.items.count : i, 0), l.items.count)
            l.items.insert(args[2], at: k)
            return .null
        }
        fn(interp, "extend", "Appends every element of another iterable.", [Param("list"), Param("items")]) { args, ctx throws(NativeError) in
            let l = try args.list(0)
            let more = try ctx.items(args[1])
            guard l.items.count + more.count <= ctx.config.maxCollectionLength else { throw NativeError("list too large") }
            l.items += more
            return .null
        }
        fn(interp, "clear", "Removes every element of a list.", [Param("list")]) { args, _ throws(NativeError) in
            try args.list(0).items.removeAll()
            return .null
        }
        fn(interp, "list", "A new list of the elements of an iterable (range, string, record keys, list).",
           [Param("items", default: .null)]) { args, ctx throws(NativeError) in
            if args[0].isNil { return .list(ListBox([])) }
            return .list(ListBox(try ctx.items(args[0])))
        }
        fn(interp, "copy", "A shallow copy of a list or record.", [Param("x")]) { args, _ throws(NativeError) in
            switch args[0] {
            case .list(let l): return .list(ListBox(l.items))
            case .record(let r): return .record(RecordBox(Array(zip(r.keys, r.values))))
            default: return args[0]
            }
        }
        fn(interp, "contains", "True when the value occurs in the list/string/record/range (same as `value in x`).",
           [Param("x"), Param("value")]) { args, ctx throws(NativeError) in
            .bool(try ctx.contains(args[0], args[1]))
        }
        fn(interp, "index_of", "The position of the first occurrence of a value (or substring), or nil.",
           [Param("x"), Param("value")]) { args, ctx throws(NativeError) in
            switch args[0] {
            case .list(let l):
                for (i, item) in l.items.enumerated() where try ctx.equal(item, args[1]) { return .number(Double(i)) }
                return .null
            case .string(let s):
                let sub = try args.string(1)
                guard let r = s.range(of: sub) else { return .null }
                return .number(Double(s.distance(from: s.startIndex, to: r.lowerBound)))
            default: throw args.wrongType(0, "a list or string")
            }
        }
        fn(interp, "reversed", "A reversed copy of a list, string or range.", [Param("x")]) { args, ctx throws(NativeError) in
            if case .string(let s) = args[0] { return .string(String(s.reversed())) }
            return .list(ListBox(try ctx.items(args[0]).reversed()))
        }
        fn(interp, "sorted", "A sorted copy (numbers, strings or lists). `key` maps each element before comparing.\nExample: sorted(runs, key: fn(r) { r.loss }, reverse: true)",
           [Param("items"), Param("key", default: .null), Param("reverse", default: .bool(false))]) { args, ctx throws(NativeError) in
            let items = try ctx.items(args[0])
            let keys: [Value]
            if args[1].isNil { keys = items } else {
                let key = try args.callable(1)
                var out: [Value] = []
                for item in items { out.append(try ctx.call(key, [item])) }
                keys = out
            }
            let reverse = try args.bool(2)
            var failure: NativeError?
            let order = Array(items.indices).sorted { a, b in
                if failure != nil { return false }
                do throws(NativeError) {
                    let c = try ctx.order(keys[a], keys[b])
                    return reverse ? c > 0 : c < 0
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            return .list(ListBox(order.map { items[$0] }))
        }
        fn(interp, "keys", "The field names of a record, in order.", [Param("record")]) { args, _ throws(NativeError) in
            .list(ListBox(try args.record(0).keys.map { .string($0) }))
        }
        fn(interp, "values", "The field values of a record, in order.", [Param("record")]) { args, _ throws(NativeError) in
            .list(ListBox(try args.record(0).values))
        }
        fn(interp, "has", "True when the record has the field.", [Param("record"), Param("key")]) { args, _ throws(NativeError) in
            .bool(try args.record(0)[try args.string(1)] != nil)
        }
        fn(interp, "get", "A record's field, or `default` when missing.", [Param("record"), Param("key"), Param("default", default: .null)]) { args, _ throws(NativeError) in
            try args.record(0)[try args.string(1)] ?? args[2]
        }
        fn(interp, "delete", "Removes a record's field and returns its value (nil if absent).", [Param("record"), Param("key")]) { args, _ throws(NativeError) in
            let r = try args.record(0), k = try args.string(1)
            let old = r[k]
            r[k] = nil
            return old ?? .null
        }
        let extreme: (Bool) -> NativeFunction.Body = { wantMax in
            { args, ctx throws(NativeError) in
                var items = args.positional
                if items.count == 1 {
                    switch items[0] {
                    case .list, .range: items = try ctx.items(items[0])
                    default: break
                    }
                }
                guard var best = items.first else { throw NativeError("\(wantMax ? "max" : "min") of an empty sequence") }
                for item in items.dropFirst() {
                    let c = try ctx.order(item, best)
                    if wantMax ? c > 0 : c < 0 { best = item }
                }
                return best
            }
        }
        fn(interp, "min", "The smallest of the arguments, or of one list: min(3, 1) == min([3, 1]) == 1.", variadic: true, extreme(false))
        fn(interp, "max", "The largest of the arguments, or of one list.", variadic: true, extreme(true))
    }
}
