/// A tiny syntax highlighter for taalm source: keywords, strings (with `{expr}`
/// interpolation highlighted as code), numbers, comments (`#` to end of line) and
/// function names before `(`. Output is escaped HTML with `<span class="k|s|n|c|f|i">`.
public enum Highlighter {
    public static let keywords: Set<String> = [
        "let", "var", "fn", "if", "else", "while", "for", "in", "return", "break", "continue",
        "and", "or", "not", "true", "false", "nil", "import",
    ]

    public static func html(_ source: String) -> String {
        var out = ""
        highlight(Array(source.unicodeScalars), into: &out)
        return out
    }

    private static func span(_ cls: String, _ text: String) -> String {
        "<span class=\"\(cls)\">\(Markup.escape(text))</span>"
    }

    private static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func highlight(_ s: [Unicode.Scalar], into out: inout String) {
        var i = 0
        func text(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(s[a..<b])) }
        while i < s.count {
            let c = s[i]
            if c == "#" {
                let start = i
                while i < s.count, s[i] != "\n" { i += 1 }
                out += span("c", text(start, i))
            } else if c == "\"" || c == "'" {
                string(s, &i, quote: c, into: &out)
            } else if isDigit(c) {
                let start = i
                while i < s.count, isDigit(s[i]) || s[i] == "_" { i += 1 }
                if i + 1 < s.count, s[i] == ".", isDigit(s[i + 1]) {
                    i += 1
                    while i < s.count, isDigit(s[i]) || s[i] == "_" { i += 1 }
                }
                if i < s.count, s[i] == "e" || s[i] == "E" {
                    var k = i + 1
                    if k < s.count, s[k] == "+" || s[k] == "-" { k += 1 }
                    if k < s.count, isDigit(s[k]) {
                        i = k
                        while i < s.count, isDigit(s[i]) { i += 1 }
                    }
                }
                out += span("n", text(start, i))
            } else if isIdentStart(c) {
                let start = i
                while i < s.count, isIdentStart(s[i]) || isDigit(s[i]) { i += 1 }
                let word = text(start, i)
                var k = i
                while k < s.count, s[k] == " " { k += 1 }
                if keywords.contains(word) {
                    out += span("k", word)
                } else if k < s.count, s[k] == "(" {
                    out += span("f", word)
                } else {
                    out += Markup.escape(word)
                }
            } else {
                out += Markup.escape(String(c))
                i += 1
            }
        }
    }

    /// A string literal from its opening quote; `{...}` parts (balanced braces) are
    /// highlighted as code, `\{` and other escapes stay string text.
    private static func string(_ s: [Unicode.Scalar], _ i: inout Int, quote: Unicode.Scalar, into out: inout String) {
        var lit = String(quote)
        i += 1
        func flush() { if !lit.isEmpty { out += span("s", lit); lit = "" } }
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                lit.unicodeScalars.append(c)
                if i + 1 < s.count { lit.unicodeScalars.append(s[i + 1]) }
                i += 2
            } else if c == quote {
                lit.unicodeScalars.append(c)
                i += 1
                break
            } else if c == "\n" {
                break // unterminated: stop at the line end
            } else if c == "{" {
                flush()
                var depth = 1
                var k = i + 1
                while k < s.count, depth > 0, s[k] != "\n" {
                    if s[k] == "{" { depth += 1 } else if s[k] == "}" { depth -= 1 }
                    if depth > 0 { k += 1 }
                }
                out += "<span class=\"i\">{"
                highlight(Array(s[(i + 1)..<k]), into: &out)
                if k < s.count, s[k] == "}" { out += "}"; k += 1 }
                out += "</span>"
                i = k
            } else {
                lit.unicodeScalars.append(c)
                i += 1
            }
        }
        flush()
    }
}
