// STAND-IN — DELETE AT MERGE.
//
// A throwaway implementation of the Language module's public `Interpreter` contract,
// written only so the REPL (Sources/taalm/REPL) compiles and its pty tests have
// something to drive. It knows integers-as-doubles arithmetic, `let`/`var`,
// assignment, `fn name(params) { ... }`, `while cond { ... }` (polling Interrupt),
// `print(...)` and strings. Nothing outside this file depends on its internals.
import Foundation
import Interrupts

public enum Completeness: Sendable { case complete, incomplete, invalid }

public struct InterpreterConfig: Sendable { public init() {} }

public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    case `nil`
    case function(name: String, params: [String], body: [StandInStmt])
    case builtin(String)
}

public struct StandInError: Error {
    let message: String
    let line: Int
    let col: Int
    let file: String
    let source: String
}

// MARK: - Lexer

struct StandInToken {
    enum Kind { case number(Double), ident(String), string(String), punct(String), newline, eof }
    let kind: Kind
    let line: Int
    let col: Int
}

private func lex(_ src: String, file: String) throws -> [StandInToken] {
    let chars = Array(src)
    var out: [StandInToken] = []
    var i = 0, line = 1, col = 1
    func fail(_ m: String) -> StandInError { StandInError(message: m, line: line, col: col, file: file, source: src) }
    while i < chars.count {
        let c = chars[i]
        let startCol = col
        if c == "\n" { out.append(.init(kind: .newline, line: line, col: col)); i += 1; line += 1; col = 1; continue }
        if c == " " || c == "\t" || c == "\r" { i += 1; col += 1; continue }
        if c == "#" { while i < chars.count && chars[i] != "\n" { i += 1; col += 1 }; continue }
        if c.isNumber {
            var s = ""
            while i < chars.count && (chars[i].isNumber || chars[i] == ".") { s.append(chars[i]); i += 1; col += 1 }
            guard let d = Double(s) else { throw fail("bad number '\(s)'") }
            out.append(.init(kind: .number(d), line: line, col: startCol)); continue
        }
        if c.isLetter || c == "_" {
            var s = ""
            while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_") { s.append(chars[i]); i += 1; col += 1 }
            out.append(.init(kind: .ident(s), line: line, col: startCol)); continue
        }
        if c == "\"" {
            var s = ""
            i += 1; col += 1
            while i < chars.count && chars[i] != "\"" { s.append(chars[i]); i += 1; col += 1 }
            guard i < chars.count else { throw fail("unterminated string") }
            i += 1; col += 1
            out.append(.init(kind: .string(s), line: line, col: startCol)); continue
        }
        let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
        if ["==", "!=", "<=", ">=", "+=", "-="].contains(two) {
            out.append(.init(kind: .punct(two), line: line, col: startCol)); i += 2; col += 2; continue
        }
        if "+-*/%()[]{},;=<>.".contains(c) {
            out.append(.init(kind: .punct(String(c)), line: line, col: startCol)); i += 1; col += 1; continue
        }
        throw fail("unexpected character '\(c)'")
    }
    out.append(.init(kind: .eof, line: line, col: col))
    return out
}

// MARK: - AST and parser

public indirect enum StandInExpr {
    case number(Double), string(String), name(String, line: Int, col: Int)
    case binary(String, StandInExpr, StandInExpr)
    case negate(StandInExpr)
    case call(StandInExpr, [StandInExpr], line: Int, col: Int)
}

public enum StandInStmt {
    case bind(String, StandInExpr)
    case assign(String, StandInExpr, line: Int, col: Int)
    case function(String, [String], [StandInStmt])
    case whileLoop(StandInExpr, [StandInStmt])
    case expr(StandInExpr, echo: Bool)
}

private struct StandInParser {
    var toks: [StandInToken]
    var pos = 0
    let file: String
    let source: String

    var peek: StandInToken { toks[pos] }
    func fail(_ m: String, _ t: StandInToken? = nil) -> StandInError {
        let t = t ?? peek
        return StandInError(message: m, line: t.line, col: t.col, file: file, source: source)
    }
    func isPunct(_ p: String) -> Bool { if case .punct(let q) = peek.kind { return q == p }; return false }
    func isIdent(_ p: String) -> Bool { if case .ident(let q) = peek.kind { return q == p }; return false }
    mutating func advance() -> StandInToken { let t = toks[pos]; if pos < toks.count - 1 { pos += 1 }; return t }
    mutating func expect(_ p: String) throws { guard isPunct(p) else { throw fail("expected '\(p)'") }; _ = advance() }
    mutating func skipNewlines() { while case .newline = peek.kind { _ = advance() } }
    mutating func ident() throws -> String {
        guard case .ident(let s) = peek.kind else { throw fail("expected a name") }
        _ = advance(); return s
    }

    mutating func program() throws -> [StandInStmt] {
        var out: [StandInStmt] = []
        skipNewlines()
        while true {
            if case .eof = peek.kind { return out }
            out.append(try statement())
        }
    }

    mutating func block() throws -> [StandInStmt] {
        try expect("{")
        var out: [StandInStmt] = []
        skipNewlines()
        while !isPunct("}") {
            if case .eof = peek.kind { throw fail("expected '}'") }
            out.append(try statement())
        }
        _ = advance()
        return out
    }

    mutating func endOfStatement() throws -> Bool {
        var echo = true
        if isPunct(";") { _ = advance(); echo = false }
        switch peek.kind {
        case .newline: skipNewlines()
        case .eof: break
        case .punct("}"): break
        default: if echo { throw fail("expected end of statement") }
        }
        return echo
    }

    mutating func statement() throws -> StandInStmt {
        if isIdent("let") || isIdent("var") {
            _ = advance()
            let name = try ident()
            try expect("=")
            let e = try expression()
            _ = try endOfStatement()
            return .bind(name, e)
        }
        if isIdent("fn") {
            _ = advance()
            let name = try ident()
            try expect("(")
            var params: [String] = []
            while !isPunct(")") {
                params.append(try ident())
                if isPunct(",") { _ = advance() } else { break }
            }
            try expect(")")
            let body = try block()
            _ = try endOfStatement()
            return .function(name, params, body)
        }
        if isIdent("while") {
            _ = advance()
            let cond = try expression()
            let body = try block()
            _ = try endOfStatement()
            return .whileLoop(cond, body)
        }
        if case .ident(let name) = peek.kind, case .punct(let p) = toks[min(pos + 1, toks.count - 1)].kind,
           p == "=" || p == "+=" || p == "-=" {
            let t = advance(); _ = advance()
            var e = try expression()
            if p != "=" { e = .binary(String(p.first!), .name(name, line: t.line, col: t.col), e) }
            _ = try endOfStatement()
            return .assign(name, e, line: t.line, col: t.col)
        }
        let e = try expression()
        return .expr(e, echo: try endOfStatement())
    }

    mutating func expression() throws -> StandInExpr { try binary(level: 0) }

    static let levels: [[String]] = [["==", "!=", "<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]]

    mutating func binary(level: Int) throws -> StandInExpr {
        if level == Self.levels.count { return try unary() }
        var lhs = try binary(level: level + 1)
        while case .punct(let p) = peek.kind, Self.levels[level].contains(p) {
            _ = advance()
            lhs = .binary(p, lhs, try binary(level: level + 1))
        }
        return lhs
    }

    mutating func unary() throws -> StandInExpr {
        if isPunct("-") { _ = advance(); return .negate(try unary()) }
        var e = try primary()
        while isPunct("(") {
            let t = advance()
            var args: [StandInExpr] = []
            while !isPunct(")") {
                args.append(try expression())
                if isPunct(",") { _ = advance() } else { break }
            }
            try expect(")")
            e = .call(e, args, line: t.line, col: t.col)
        }
        return e
    }

    mutating func primary() throws -> StandInExpr {
        let t = peek
        switch t.kind {
        case .number(let d): _ = advance(); return .number(d)
        case .string(let s): _ = advance(); return .string(s)
        case .ident(let s): _ = advance(); return .name(s, line: t.line, col: t.col)
        case .punct("("):
            _ = advance()
            let e = try expression()
            try expect(")")
            return e
        default: throw fail("expected an expression")
        }
    }
}

// MARK: - Interpreter

public final class Interpreter {
    public var write: (String) -> Void = { Swift.print($0, terminator: "") }
    private var globals: [String: Value] = [:]
    private var order: [String] = []
    private var file = "<input>"
    private var source = ""
    private var depth = 0

    private static let builtinDocs: [String: String] = [
        "print": "print(value)\n  Writes value and a newline.",
        "grad": "grad(f)\n  Returns a function computing the gradient of f. (stand-in: documentation only)",
    ]

    public static var keywords: [String] { ["let", "var", "fn", "while", "true", "false", "nil", "if", "else", "for", "in", "return"] }

    public init(config: InterpreterConfig = .init()) {}

    public func completeness(of source: String) -> Completeness {
        var depth = 0
        var inString = false
        var inComment = false
        for c in source {
            if inComment { if c == "\n" { inComment = false }; continue }
            if inString { if c == "\"" { inString = false }; continue }
            switch c {
            case "#": inComment = true
            case "\"": inString = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1; if depth < 0 { return .invalid }
            default: break
            }
        }
        return inString || depth > 0 ? .incomplete : .complete
    }

    public func runCell(_ source: String, file: String) throws -> Value? {
        self.file = file
        self.source = source
        var parser = StandInParser(toks: try lex(source, file: file), file: file, source: source)
        let stmts = try parser.program()
        var last: Value?
        for s in stmts { last = try exec(s) }
        if let last { bind("_", last) }
        return last
    }

    public func runFile(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StandInError(message: "cannot read '\(path)'", line: 0, col: 0, file: path, source: "")
        }
        _ = try runCell(text, file: path)
    }

    public func render(_ error: Error) -> String {
        guard let e = error as? StandInError else { return "error: \(error)" }
        if e.line == 0 { return "\(e.file): error: \(e.message)" }
        let lines = e.source.split(separator: "\n", omittingEmptySubsequences: false)
        let text = e.line - 1 < lines.count ? String(lines[e.line - 1]) : ""
        return "\(e.file):\(e.line):\(e.col): error: \(e.message)\n    \(text)\n    \(String(repeating: " ", count: max(0, e.col - 1)))^"
    }

    public func echo(_ value: Value) -> String { "\(display(value))  : \(typeName(of: value))" }

    public func typeName(of value: Value) -> String {
        switch value {
        case .number: "number"
        case .string: "string"
        case .bool: "bool"
        case .nil: "nil"
        case .function, .builtin: "function"
        }
    }

    public func globalNames() -> [String] { Array(Self.builtinDocs.keys).sorted() + order }

    public func memberNames(forExpression source: String) -> [String] {
        switch globals[source.trimmingCharacters(in: .whitespaces)] {
        case .number: ["abs", "floor", "ceil"]
        case .string: ["count", "upper"]
        default: []
        }
    }

    public func help(_ name: String) -> String? {
        if let d = Self.builtinDocs[name] { return d }
        if case .function(let n, let p, _) = globals[name] { return "fn \(n)(\(p.joined(separator: ", ")))" }
        return nil
    }

    public func helpIndex() -> String { "Builtins: " + Self.builtinDocs.keys.sorted().joined(separator: ", ") }

    public func variables() -> [(name: String, type: String, summary: String)] {
        order.compactMap { n in globals[n].map { (n, typeName(of: $0), display($0)) } }
    }

    public func reset() { globals = [:]; order = [] }

    // MARK: evaluation

    private func bind(_ name: String, _ v: Value) {
        if globals[name] == nil { order.append(name) }
        globals[name] = v
    }

    private func fail(_ m: String, _ line: Int, _ col: Int) -> StandInError {
        StandInError(message: m, line: line, col: col, file: file, source: source)
    }

    private func exec(_ s: StandInStmt) throws -> Value? {
        switch s {
        case .bind(let n, let e): bind(n, try eval(e)); return nil
        case .assign(let n, let e, let line, let col):
            guard globals[n] != nil else { throw fail("undefined name '\(n)'", line, col) }
            bind(n, try eval(e)); return nil
        case .function(let n, let p, let body): bind(n, .function(name: n, params: p, body: body)); return nil
        case .whileLoop(let c, let body):
            while truthy(try eval(c)) {
                if Interrupt.take() { throw fail("interrupted", 0, 0) }
                for st in body { _ = try exec(st) }
            }
            return nil
        case .expr(let e, let echo):
            let v = try eval(e)
            if case .nil = v { return nil }
            return echo ? v : nil
        }
    }

    private func truthy(_ v: Value) -> Bool {
        switch v {
        case .bool(let b): b
        case .nil: false
        case .number(let d): d != 0
        default: true
        }
    }

    private func eval(_ e: StandInExpr) throws -> Value {
        switch e {
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        case .name("true", _, _): return .bool(true)
        case .name("false", _, _): return .bool(false)
        case .name("nil", _, _): return .nil
        case .name(let n, let line, let col):
            if let v = globals[n] { return v }
            if Self.builtinDocs[n] != nil { return .builtin(n) }
            throw fail("undefined name '\(n)'", line, col)
        case .negate(let x):
            guard case .number(let d) = try eval(x) else { throw fail("cannot negate", 0, 0) }
            return .number(-d)
        case .binary(let op, let l, let r):
            let a = try eval(l), b = try eval(r)
            guard case .number(let x) = a, case .number(let y) = b else {
                if op == "+", case .string(let x) = a, case .string(let y) = b { return .string(x + y) }
                throw fail("operator '\(op)' needs numbers", 0, 0)
            }
            switch op {
            case "+": return .number(x + y)
            case "-": return .number(x - y)
            case "*": return .number(x * y)
            case "/": return .number(x / y)
            case "%": return .number(x.truncatingRemainder(dividingBy: y))
            case "<": return .bool(x < y)
            case ">": return .bool(x > y)
            case "<=": return .bool(x <= y)
            case ">=": return .bool(x >= y)
            case "==": return .bool(x == y)
            default: return .bool(x != y)
            }
        case .call(let f, let args, let line, let col):
            let fv = try eval(f)
            let vals = try args.map { try eval($0) }
            if Interrupt.take() { throw fail("interrupted", line, col) }
            switch fv {
            case .builtin("print"):
                write(vals.map(display).joined(separator: " ") + "\n"); return .nil
            case .function(_, let params, let body):
                guard params.count == vals.count else { throw fail("expected \(params.count) arguments", line, col) }
                guard depth < 100 else { throw fail("recursion limit", line, col) }
                let saved = globals
                for (p, v) in zip(params, vals) { globals[p] = v }
                depth += 1
                defer { depth -= 1; globals = saved }
                var last: Value = .nil
                for s in body { last = try exec(s) ?? .nil }
                return last
            default: throw fail("not callable", line, col)
            }
        }
    }

    private func display(_ v: Value) -> String {
        switch v {
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): s
        case .bool(let b): String(b)
        case .nil: "nil"
        case .function(let n, _, _): "<fn \(n)>"
        case .builtin(let n): "<builtin \(n)>"
        }
    }
}
