import Foundation

/// String builtins (also methods: `s.upper()`, `s.split(",")`).
extension Builtins {
    static func text(_ interp: Interpreter) {
        fn(interp, "join", "Joins the elements' text with a separator.\nExample: [\"a\", \"b\"].join(\", \") == \"a, b\"",
           [Param("items"), Param("sep", default: .string(""))]) { args, ctx throws(NativeError) in
            let sep = try args.string(1)
            let text = try ctx.items(args[0]).map { ctx.display($0) }.joined(separator: sep)
            guard text.utf8.count <= ctx.config.maxCollectionLength else {
                throw NativeError("result too large (limit \(ctx.config.maxCollectionLength) elements)")
            }
            return .string(text)
        }
        fn(interp, "split", "Splits a string at each separator (at runs of whitespace when none is given).",
           [Param("s"), Param("sep", default: .null)]) { args, _ throws(NativeError) in
            let s = try args.string(0)
            if args[1].isNil { return .list(ListBox(s.split(whereSeparator: { $0.isWhitespace }).map { .string(String($0)) })) }
            let sep = try args.string(1)
            if sep.isEmpty { throw NativeError("split separator cannot be empty", hint: "use list(s) for characters") }
            return .list(ListBox(s.components(separatedBy: sep).map { .string($0) }))
        }
        fn(interp, "upper", "The string in upper case.", [Param("s")]) { args, _ throws(NativeError) in .string(try args.string(0).uppercased()) }
        fn(interp, "lower", "The string in lower case.", [Param("s")]) { args, _ throws(NativeError) in .string(try args.string(0).lowercased()) }
        fn(interp, "strip", "The string without leading and trailing whitespace.", [Param("s")]) { args, _ throws(NativeError) in
            .string(try args.string(0).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        fn(interp, "replace", "The string with every `old` replaced by `new`.", [Param("s"), Param("old"), Param("new")]) { args, ctx throws(NativeError) in
            let old = try args.string(1)
            if old.isEmpty { throw NativeError("replace needs a non-empty string to replace") }
            let s = try args.string(0), new = try args.string(2)
            if new.utf8.count > old.utf8.count, s.utf8.count / old.utf8.count * new.utf8.count > ctx.config.maxCollectionLength {
                throw NativeError("result too large (limit \(ctx.config.maxCollectionLength) elements)")
            }
            return .string(s.replacingOccurrences(of: old, with: new))
        }
        fn(interp, "starts_with", "True when the string starts with the prefix.", [Param("s"), Param("prefix")]) { args, _ throws(NativeError) in
            .bool(try args.string(0).hasPrefix(try args.string(1)))
        }
        fn(interp, "ends_with", "True when the string ends with the suffix.", [Param("s"), Param("suffix")]) { args, _ throws(NativeError) in
            .bool(try args.string(0).hasSuffix(try args.string(1)))
        }
        fn(interp, "fmt", "A number with a fixed count of decimals, as a string.\nExample: fmt(3.14159, 2) == \"3.14\"",
           [Param("x"), Param("digits", default: .number(2))]) { args, _ throws(NativeError) in
            let x = try args.number(0)
            let d = try args.int(1)
            guard (0...20).contains(d) else { throw NativeError("fmt digits must be between 0 and 20") }
            guard x.isFinite else { return .string(ValueText.number(x)) }
            return .string(String(format: "%.\(d)f", x))
        }
    }
}
