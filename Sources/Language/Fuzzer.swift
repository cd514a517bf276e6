/// Random and mutated taalm programs from a fixed seed, for robustness testing (the fuzz
/// test in LanguageTests and the long `fuzz` mode of taalm-bench share this generator).
/// Nothing a program does may crash or hang the interpreter: every run must end in a
/// value or a TaalmError.
public struct Fuzzer {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64: deterministic across platforms.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    /// A configuration that keeps fuzzed programs small and quick.
    public static var config: InterpreterConfig {
        var c = InterpreterConfig()
        c.stepLimit = 20_000
        c.maxRecursionDepth = 150
        c.maxCollectionLength = 20_000
        c.handlesInterrupts = false
        return c
    }

    static let names = ["a", "b", "xs", "r", "f", "g", "n", "s", "i", "print", "len", "range", "map", "sorted", "str", "keys", "_"]
    static let binaryOps = ["+", "-", "*", "/", "//", "%", "**", "@", "==", "!=", "<", "<=", ">", ">=", "and", "or", "in", "not in"]
    static let fragments = ["(", ")", "{", "}", "[", "]", ",", "fn", "let", "var", "+", "**", "\"", "\"{a}\"", "while true {", "\n",
                            "#", "1e308", "-", ".", ":", "=", "==", "not", "in", "if", "else", "for x in", "return", "break", "'",
                            "{{", "}}", "\\", ";", "nil", "1/0", "[0] * 99999", "f(f)", "..", "@", "import \"x.taalm\"", "\u{1F600}"]

    /// Seed programs for mutation: small but covering most constructs.
    public static let corpus: [String] = [
        "fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }\nprint(fib(10))",
        "var total = 0\nfor i in range(10) { total += i * i }\nprint(\"total {total}\")",
        "let m = {name: \"run1\", lr: 1e-3}\nm.epochs = 3\nprint(m, m.keys(), m[\"lr\"])",
        "let xs = [3, 1, 2]\nprint(sorted(xs), xs[1:], xs[::-1], xs.map(fn(x) { x * 2 }))",
        "fn counter() { var c = 0; fn() { c += 1; c } }\nlet k = counter()\nk(); print(k())",
        "let (a, b) = [1, [2, 3]]\nlet (c, d) = b\nprint(a + c + d)",
        "var i = 0\nwhile i < 5 { i += 1; if i == 3 { continue } }\nprint(i)",
        "fn train(m, d, lr = 0.01, epochs = 3) { \"{m} {d} {lr} {epochs}\" }\nprint(train(1, 2, epochs: 5))",
        "let s = \"hello\"\nprint(s.upper(), s[1:3], len(s), s.split(\"l\"), \"{{literal}}\")",
        "print(2 ** 3 ** 2, -7 // 2, 7 % -3, 1 == 1.0, [1] + [2], \"a\" * 3, 3 in range(5))",
    ]

    public mutating func literal() -> String {
        switch int(8) {
        case 0: return String(int(100))
        case 1: return pick(["0.5", "1e-3", "-2", "1e300", "0", "3.25"])
        case 2: return pick(["\"s\"", "\"{a}\"", "''", "\"x{1 + 2}y\""])
        case 3: return pick(["true", "false", "nil"])
        case 4: return "[\(literal()), \(literal())]"
        case 5: return "{k: \(literal())}"
        case 6: return "range(\(int(20)))"
        default: return pick(Fuzzer.names)
        }
    }

    public mutating func expression(_ depth: Int = 0) -> String {
        if depth > 4 || chance(25) { return literal() }
        switch int(10) {
        case 0, 1: return "\(expression(depth + 1)) \(pick(Fuzzer.binaryOps)) \(expression(depth + 1))"
        case 2: return "\(pick(["-", "not ", "+"]))\(expression(depth + 1))"
        case 3: return "\(pick(Fuzzer.names))(\(expression(depth + 1)))"
        case 4: return "\(expression(depth + 1))[\(pick(["0", "-1", "1:", "::-1", "a", "\"k\""]))]"
        case 5: return "\(expression(depth + 1)).\(pick(["len()", "k", "keys()", "map(fn(x) { x })", "push(1)", "upper()", "x"]))"
        case 6: return "fn(x) { \(expression(depth + 1)) }"
        case 7: return "if \(expression(depth + 1)) { \(expression(depth + 1)) } else { \(expression(depth + 1)) }"
        case 8: return "(\(expression(depth + 1)), \(expression(depth + 1)))"
        default: return "[\(expression(depth + 1)), \(expression(depth + 1))]"
        }
    }

    public mutating func statement(_ depth: Int = 0) -> String {
        let name = pick(["a", "b", "xs", "r", "f", "g", "n", "s", "i"])
        if depth > 2 { return "print(\(expression()))" }
        switch int(11) {
        case 0: return "let \(name) = \(expression())"
        case 1: return "var \(name) = \(expression())"
        case 2: return "\(name) \(pick(["=", "+=", "-=", "*=", "/="])) \(expression())"
        case 3: return "fn \(name)(x, y = \(literal())) { \(block(depth + 1)) }"
        case 4: return "if \(expression()) { \(block(depth + 1)) } else { \(block(depth + 1)) }"
        case 5: return "while \(expression()) { \(block(depth + 1)) }"
        case 6: return "for \(pick(["x", "(p, q)", "i"])) in \(expression()) { \(block(depth + 1)) }"
        case 7: return pick(["break", "continue", "return \(expression())"])
        case 8: return "let (\(name), z) = \(expression())"
        case 9: return "\(name)[\(literal())] = \(expression())"
        default: return "print(\(expression()))"
        }
    }

    mutating func block(_ depth: Int) -> String {
        (0..<(1 + int(3))).map { _ in statement(depth) }.joined(separator: pick(["\n", "; "]))
    }

    public mutating func program() -> String {
        (0..<(1 + int(6))).map { _ in statement() }.joined(separator: "\n")
    }

    /// A random edit of `source`: delete, duplicate or swap spans, insert fragments.
    public mutating func mutate(_ source: String) -> String {
        var chars = Array(source)
        for _ in 0..<(1 + int(4)) {
            let n = chars.count
            switch int(4) {
            case 0 where n > 0:
                let a = int(n), len = 1 + int(min(12, n - a))
                chars.removeSubrange(a..<min(n, a + len))
            case 1 where n > 0:
                let a = int(n), len = 1 + int(min(20, n - a))
                chars.insert(contentsOf: chars[a..<min(n, a + len)], at: int(n + 1))
            case 2 where n > 1:
                let a = int(n), b = int(n)
                chars.swapAt(a, b)
            default:
                chars.insert(contentsOf: Array(pick(Fuzzer.fragments)), at: int(n + 1))
            }
        }
        return String(chars)
    }

    /// Runs one program; returns false only if the interpreter misbehaved (an error with no
    /// message, or an interpreter that no longer evaluates `1 + 1` afterwards).
    public static func check(_ source: String, in interp: Interpreter, index: Int) -> Bool {
        interp.write = { _ in }
        _ = interp.completeness(of: source)
        do throws(TaalmError) {
            _ = try interp.runCell(source, file: "<fuzz \(index)>")
        } catch {
            if error.diagnostics.isEmpty || interp.render(error).isEmpty { return false }
        }
        if index % 16 == 0 {
            guard let v = try? interp.runCell("1 + 1", file: "<probe>"), v.numberValue == 2 else { return false }
        }
        return true
    }
}
