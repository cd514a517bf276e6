/// Turns source bytes into tokens. Newlines are tokens (they end statements); runs of
/// them collapse into one. `#` starts a comment; `##` lines are doc comments, kept by line
/// number for the `fn` that follows them.
struct Lexer {
    let source: Source
    private let b: [UInt8]
    private var i: Int
    private let end: Int
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Doc comment text by 1-based line.
    private(set) var docComments: [Int: String] = [:]

    init(source: Source, range: Range<Int>? = nil) {
        self.source = source
        self.b = source.bytes
        self.i = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? source.bytes.count
    }

    static func tokenize(_ source: Source, range: Range<Int>? = nil) -> Lexer {
        var lexer = Lexer(source: source, range: range)
        lexer.run()
        return lexer
    }

    private func peek(_ k: Int = 0) -> UInt8 { i + k < end ? b[i + k] : 0 }

    private mutating func add(_ kind: TokenKind, _ start: Int) {
        if kind == .newline, tokens.last?.kind == .newline || tokens.isEmpty { return }
        tokens.append(Token(kind: kind, start: start, end: i))
    }

    private mutating func error(_ message: String, at offset: Int, hint: String? = nil, unexpectedEnd: Bool = false) {
        diagnostics.append(Diagnostic(message: message, hint: hint, location: source.location(offset), isUnexpectedEnd: unexpectedEnd))
    }

    mutating func run() {
        while i < end {
            let start = i
            let c = b[i]
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "\n"):
                i += 1; add(.newline, start)
            case UInt8(ascii: "#"):
                let isDoc = peek(1) == UInt8(ascii: "#")
                while i < end, b[i] != UInt8(ascii: "\n") { i += 1 }
                if isDoc {
                    var text = String(decoding: b[(start + 2)..<i], as: UTF8.self)
                    if text.hasPrefix(" ") { text.removeFirst() }
                    docComments[source.line(of: start)] = text
                }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number(start)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                string(start, quote: c)
            case _ where isIdentStart(c):
                while i < end, isIdentPart(b[i]) { i += 1 }
                let name = String(decoding: b[start..<i], as: UTF8.self)
                add(TokenKind.keywords[name] ?? .identifier(name), start)
            default:
                i += 1
                let two = (c, peek())
                func take(_ k: TokenKind) -> TokenKind { i += 1; return k }
                let kind: TokenKind?
                switch c {
                case UInt8(ascii: "("): kind = .leftParen
                case UInt8(ascii: ")"): kind = .rightParen
                case UInt8(ascii: "["): kind = .leftBracket
                case UInt8(ascii: "]"): kind = .rightBracket
                case UInt8(ascii: "{"): kind = .leftBrace
                case UInt8(ascii: "}"): kind = .rightBrace
                case UInt8(ascii: ","): kind = .comma
                case UInt8(ascii: "."): kind = .dot
                case UInt8(ascii: ":"): kind = .colon
                case UInt8(ascii: ";"): kind = .semicolon
                case UInt8(ascii: "@"): kind = .at
                case UInt8(ascii: "%"): kind = .percent
                case UInt8(ascii: "+"): kind = two.1 == UInt8(ascii: "=") ? take(.plusEqual) : .plus
                case UInt8(ascii: "-"): kind = two.1 == UInt8(ascii: "=") ? take(.minusEqual) : .minus
                case UInt8(ascii: "*"):
                    kind = two.1 == UInt8(ascii: "*") ? take(.starStar) : two.1 == UInt8(ascii: "=") ? take(.starEqual) : .star
                case UInt8(ascii: "/"):
                    kind = two.1 == UInt8(ascii: "/") ? take(.slashSlash) : two.1 == UInt8(ascii: "=") ? take(.slashEqual) : .slash
                case UInt8(ascii: "="): kind = two.1 == UInt8(ascii: "=") ? take(.equalEqual) : .equal
                case UInt8(ascii: "!"): kind = two.1 == UInt8(ascii: "=") ? take(.bangEqual) : nil
                case UInt8(ascii: "<"): kind = two.1 == UInt8(ascii: "=") ? take(.lessEqual) : .less
                case UInt8(ascii: ">"): kind = two.1 == UInt8(ascii: "=") ? take(.greaterEqual) : .greater
                default: kind = nil
                }
                if let kind {
                    add(kind, start)
                } else if c == UInt8(ascii: "!") {
                    error("unexpected character '!'", at: start, hint: "use 'not' for negation and '!=' for inequality")
                } else {
                    // Skip the whole UTF-8 sequence of a non-ASCII character.
                    while i < end, b[i] & 0xC0 == 0x80 { i += 1 }
                    let ch = String(decoding: b[start..<i], as: UTF8.self)
                    error("unexpected character '\(ch)'", at: start)
                }
            }
        }
        add(.newline, i)
        tokens.append(Token(kind: .eof, start: end, end: end))
    }

    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
    }
    private func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) }
    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private mutating func number(_ start: Int) {
        while isDigit(peek()) || peek() == UInt8(ascii: "_") { i += 1 }
        if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
            i += 1
            while isDigit(peek()) || peek() == UInt8(ascii: "_") { i += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            var k = 1
            if peek(k) == UInt8(ascii: "+") || peek(k) == UInt8(ascii: "-") { k += 1 }
            if isDigit(peek(k)) {
                i += k
                while isDigit(peek()) { i += 1 }
            }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self).replacingUnderscores()
        if isIdentStart(peek()) {
            while i < end, isIdentPart(b[i]) { i += 1 }
            error("invalid number '\(String(decoding: b[start..<i], as: UTF8.self))'", at: start)
            return
        }
        // `_` only separates digits: not last, not doubled, not next to '.' (1_000, not 1_000_ or 1__0).
        if let k = (start..<i).first(where: { b[$0] == UInt8(ascii: "_") && !(isDigit(b[$0 - 1]) && $0 + 1 < i && isDigit(b[$0 + 1])) }) {
            error("invalid number '\(String(decoding: b[start..<i], as: UTF8.self))'", at: k,
                  hint: "'_' goes between two digits, as in 1_000_000")
            return
        }
        add(.number(Double(text) ?? .nan), start)
    }

    private mutating func string(_ start: Int, quote: UInt8) {
        i += 1
        var parts: [StringPart] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))); text.removeAll() }
        }
        while true {
            guard i < end else {
                error("unterminated string", at: start, unexpectedEnd: true)
                add(.string(parts), start)
                return
            }
            let c = b[i]
            if c == quote { i += 1; break }
            if c == UInt8(ascii: "\\") {
                let escStart = i
                i += 1
                guard i < end else { continue }
                let e = b[i]; i += 1
                switch e {
                case UInt8(ascii: "n"): text.append(10)
                case UInt8(ascii: "t"): text.append(9)
                case UInt8(ascii: "r"): text.append(13)
                case UInt8(ascii: "0"): text.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    text.append(e)
                case UInt8(ascii: "u"):
                    var ok = false
                    if peek() == UInt8(ascii: "{") {
                        var k = i + 1
                        while k < end, k - i <= 7, b[k] != UInt8(ascii: "}") { k += 1 }
                        if k < end, b[k] == UInt8(ascii: "}"),
                           let code = UInt32(String(decoding: b[(i + 1)..<k], as: UTF8.self), radix: 16),
                           let scalar = Unicode.Scalar(code) {
                            text.append(contentsOf: Array(String(Character(scalar)).utf8))
                            i = k + 1
                            ok = true
                        }
                    }
                    if !ok { error("invalid unicode escape", at: escStart, hint: "write it as \\u{1F600}") }
                default:
                    error("invalid escape sequence '\\\(String(decoding: [e], as: UTF8.self))'", at: escStart,
                          hint: "valid escapes: \\n \\t \\r \\0 \\\\ \\\" \\' \\{ \\} \\u{...}")
                }
                continue
            }
            if c == UInt8(ascii: "{") {
                if peek(1) == UInt8(ascii: "{") { text.append(c); i += 2; continue }
                flush()
                let codeStart = i + 1
                guard let codeEnd = interpolationEnd(from: codeStart, quote: quote) else {
                    error("unterminated interpolation in string", at: i, hint: "close it with '}', or write '{{' for a literal brace",
                          unexpectedEnd: true)
                    i = end
                    add(.string(parts), start)
                    return
                }
                parts.append(.code(start: codeStart, end: codeEnd))
                i = codeEnd + 1
                continue
            }
            if c == UInt8(ascii: "}") {
                if peek(1) == UInt8(ascii: "}") { text.append(c); i += 2; continue }
                error("single '}' in string", at: i, hint: "write '}}' for a literal brace")
                i += 1
                continue
            }
            text.append(c)
            i += 1
        }
        flush()
        add(.string(parts), start)
    }

    /// The offset of the `}` closing an interpolation, skipping nested braces and strings.
    private func interpolationEnd(from start: Int, quote: UInt8) -> Int? {
        var depth = 0
        var k = start
        while k < end {
            let c = b[k]
            if c == UInt8(ascii: "{") { depth += 1 }
            else if c == UInt8(ascii: "}") {
                if depth == 0 { return k }
                depth -= 1
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                k += 1
                while k < end, b[k] != c {
                    if b[k] == UInt8(ascii: "\\") { k += 1 }
                    k += 1
                }
            } else if c == UInt8(ascii: "\n") {
                return nil
            }
            k += 1
        }
        return nil
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
