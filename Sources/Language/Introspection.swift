/// What the REPL asks about: names for completion, docs for `:help`, variables for `:vars`.
enum Introspection {
    static func doc(of value: Value) -> String? {
        switch value {
        case .native(let n): return n.doc.isEmpty ? n.signature : "\(n.signature)\n\(n.doc)"
        case .function(let f):
            // `fn name(a, b)`; an anonymous function's signature is already `fn(a, b)`.
            let sig = f.proto.name.isEmpty ? f.proto.signature : "fn \(f.proto.signature)"
            return f.proto.doc.map { "\(sig)\n\($0)" } ?? sig
        case .object(let o): return o.doc.isEmpty ? nil : o.doc
        default: return nil
        }
    }

    static let keywordDocs: [String: String] = [
        "let": "let name = value — an immutable binding. let (a, b) = pair destructures a list.",
        "var": "var name = value — a mutable binding (assign with =, +=, -=, *=, /=).",
        "fn": "fn name(a, b = 2) { body } — a function; the last expression is its value. fn(x) { x * x } is a closure.",
        "if": "if cond { ... } else { ... } — an expression: let y = if x > 0 { 1 } else { -1 }. Conditions must be bools.",
        "else": "if cond { ... } else if other { ... } else { ... }",
        "while": "while cond { ... } — loops while the bool condition holds; break and continue work inside.",
        "for": "for x in items { ... } — over lists, ranges, strings (characters), records (keys) and native iterables. for (i, x) in enumerate(xs) destructures.",
        "in": "for x in xs { ... } loops; `x in xs` tests membership (lists, strings, records, ranges).",
        "return": "return value — leaves the function early (the last expression is returned anyway).",
        "break": "break — leaves the innermost loop.",
        "continue": "continue — skips to the next iteration of the innermost loop.",
        "import": "import \"file.taalm\" — runs a file once; its top-level names become globals. Paths are relative to the importing file.",
        "and": "a and b — both bools true (b is evaluated only when a is true).",
        "or": "a or b — either bool true (b is evaluated only when a is false).",
        "not": "not a — negates a bool; `x not in xs` tests absence.",
        "nil": "nil — the absence of a value.",
        "true": "the bool true", "false": "the bool false",
    ]
}

extension Interpreter {
    /// Every defined global name (builtins, prelude, user), sorted. Keywords: `Interpreter.keywords`.
    public func globalNames() -> [String] {
        (0..<globals.count).filter { globals.defined[$0] }.map { globals.names[$0] }.sorted()
    }

    /// Members after `.` for completion; evaluates only a name or a name.field chain (no calls).
    public func memberNames(forExpression source: String) -> [String] {
        let parts = source.split(separator: ".", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, ValueText.isIdentifier(first), var value = globals.value(first) else { return [] }
        for name in parts.dropFirst() {
            guard ValueText.isName(name) else { return [] }
            switch value {
            case .record(let r):
                guard let v = r[name] else { return [] }
                value = v
            case .object(let o):
                guard let v = try? o.member(name, machine.context) else { return [] }
                value = v
            default: return []
            }
        }
        var seen: Set<String> = []
        return machine.memberNames(of: value).filter { seen.insert($0).inserted }.sorted()
    }

    /// Documentation for a builtin, a prelude or user function (its `##` comments), a
    /// native value, a keyword, or a method (`list.push`, `xs.push`).
    public func help(_ name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let dot = trimmed.lastIndex(of: ".") {
            let owner = String(trimmed[..<dot]), member = String(trimmed[trimmed.index(after: dot)...])
            var typeName = owner
            if methods[owner] == nil {
                if let v = globals.value(owner) {
                    if case .object(let o) = v, let m = try? o.member(member, machine.context) {
                        return Introspection.doc(of: m) ?? "\(owner).\(member)"
                    }
                    if case .record(let r) = v, let field = r[member] {
                        return Introspection.doc(of: field) ?? "\(owner).\(member): \(field.typeName)"
                    }
                    typeName = v.typeName
                } else {
                    return nil
                }
            }
            guard let m = methods[typeName]?[member] else { return nil }
            return "\(typeName).\(member) — method form of \(member)(\(typeName), ...)\n" + (Introspection.doc(of: m) ?? "")
        }
        if let v = globals.value(trimmed) {
            if let d = Introspection.doc(of: v) { return d }
            if let i = globals.lookup(trimmed), let d = globals.docs[i] { return "\(trimmed) = \(ValueText.repr(v)) — \(d)" }
            return "\(trimmed): \(v.typeName) = \(summary(v))"
        }
        return Introspection.keywordDocs[trimmed]
    }

    /// The `:help` overview: builtins with the first line of their doc.
    public func helpIndex() -> String {
        var lines = ["Builtins (use :help name for details):"]
        for name in globalNames() {
            guard let i = globals.lookup(name), i < (snapshotCount ?? globals.count), let v = globals.value(name) else { continue }
            let first: String
            switch v {
            case .native(let n): first = n.doc.split(separator: "\n").first.map(String.init) ?? ""
            case .function(let f): first = f.proto.doc?.split(separator: "\n").first.map(String.init) ?? ""
            default: first = globals.docs[i] ?? ""
            }
            if name == "_" { continue }
            lines.append("  \(name.padding(toLength: max(12, name.count), withPad: " ", startingAt: 0))  \(first)")
        }
        lines.append("Keywords: \(Interpreter.keywords.joined(separator: " "))")
        return lines.joined(separator: "\n")
    }

    /// User globals (defined after start-up, or start-up names the user rebound): name,
    /// type and a one-line summary.
    public func variables() -> [(name: String, type: String, summary: String)] {
        let start = snapshotCount ?? 0
        var out: [(name: String, type: String, summary: String)] = []
        for i in 0..<globals.count where globals.defined[i] {
            let name = globals.names[i]
            let v = globals.values[i]
            let isUser = i >= start || name == "args" || name == "_" || !isStartupValue(i, v)
            guard isUser else { continue }
            if name == "args", case .list(let l) = v, l.items.isEmpty { continue }
            out.append((name, v.typeName, summary(v)))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// True when global `i` still holds what it held at start-up (the same object, or an equal scalar).
    private func isStartupValue(_ i: Int, _ v: Value) -> Bool {
        guard let old = startupValue(i) else { return false }
        switch (old, v) {
        case (.native(let a), .native(let b)): return a === b
        case (.function(let a), .function(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        case (.list(let a), .list(let b)): return a === b
        case (.record(let a), .record(let b)): return a === b
        case (.range(let a), .range(let b)): return a === b
        case (.number(let a), .number(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// What `:type` shows: the type, with a tensor's shape and dtype (a native's one-line
    /// summary), a function's signature, a list's or string's length.
    public func typeDescription(of v: Value) -> String {
        switch v {
        case .object(let o):
            let s = o.shortSummary
            return s.isEmpty || s == o.typeName ? o.typeName : "\(o.typeName) \(s)"
        case .function(let f): return "function \(f.proto.signature)"
        case .native(let n): return "function \(n.signature) (builtin)"
        case .list(let l): return "list of \(l.items.count)"
        case .string(let s): return "string of \(s.count)"
        case .record(let r): return "record with \(r.count) field\(r.count == 1 ? "" : "s")"
        default: return v.typeName
        }
    }

    func summary(_ v: Value) -> String {
        if case .object(let o) = v { return o.shortSummary }
        let text = ValueText.repr(v, width: config.displayWidth)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}
