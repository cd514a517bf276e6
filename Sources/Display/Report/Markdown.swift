/// A small Markdown subset rendered to HTML: ATX headings, paragraphs, `*em*`/`_em_`,
/// `**strong**`, `` `code` ``, fenced code blocks (```` ```taalm ```` highlighted), `-`/`*`/`+`
/// and `1.` lists (one level), `> ` quotes, `---` rules and `[text](url)` links (only
/// http(s), mailto, relative and fragment links survive). Raw HTML is escaped, not passed through.
public enum Markdown {
    public static func html(_ source: String) -> String {
        let lines = source.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out = ""
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])? = nil
        var quote: [String] = []
        func flushParagraph() {
            if !paragraph.isEmpty { out += "<p>" + inline(paragraph.joined(separator: "\n")) + "</p>\n"; paragraph = [] }
        }
        func flushList() {
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                out += "<\(tag)>\n" + l.items.map { "<li>" + inline($0) + "</li>\n" }.joined() + "</\(tag)>\n"
                list = nil
            }
        }
        func flushQuote() {
            if !quote.isEmpty { out += "<blockquote>\n" + html(quote.joined(separator: "\n")) + "</blockquote>\n"; quote = [] }
        }
        func flushAll() { flushParagraph(); flushList(); flushQuote() }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                flushAll()
                let fence = String(trimmed.prefix(3))
                let lang = String(trimmed.dropFirst(3)).trimmingWhitespace()
                var code: [String] = []
                i += 1
                while i < lines.count, !lines[i].trimmingWhitespace().hasPrefix(fence) { code.append(lines[i]); i += 1 }
                i += 1
                let body = code.joined(separator: "\n")
                let highlighted = lang == "taalm" ? Highlighter.html(body) : Markup.escape(body)
                let cls = lang.isEmpty ? "" : " class=\"language-\(Markup.escape(lang))\""
                out += "<pre><code\(cls)>" + highlighted + "</code></pre>\n"
                continue
            }
            if trimmed.isEmpty { flushAll(); i += 1; continue }
            if let (level, text) = heading(trimmed) {
                flushAll()
                out += "<h\(level)>" + inline(text) + "</h\(level)>\n"
            } else if trimmed.allSatisfy({ $0 == "-" || $0 == " " }) && trimmed.filter({ $0 == "-" }).count >= 3 && paragraph.isEmpty
                        || trimmed == "***" || trimmed == "___" {
                flushAll()
                out += "<hr>\n"
            } else if trimmed.hasPrefix(">") {
                flushParagraph(); flushList()
                var q = Substring(trimmed.dropFirst())
                if q.first == " " { q.removeFirst() }
                quote.append(String(q))
            } else if let (ordered, text) = listItem(trimmed) {
                flushParagraph(); flushQuote()
                if list == nil || list!.ordered != ordered { flushList(); list = (ordered, []) }
                list!.items.append(text)
            } else if list != nil, line.hasPrefix("  ") {
                list!.items[list!.items.count - 1] += "\n" + trimmed // continuation of an item
            } else {
                flushList(); flushQuote()
                paragraph.append(trimmed)
            }
            i += 1
        }
        flushAll()
        return out
    }

    static func heading(_ line: String) -> (Int, String)? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " else { return nil }
        var text = String(rest).trimmingWhitespace()
        while text.hasSuffix("#") { text.removeLast() }
        return (hashes, text.trimmingWhitespace())
    }

    static func listItem(_ line: String) -> (Bool, String)? {
        if let f = line.first, f == "-" || f == "*" || f == "+", line.dropFirst().first == " " {
            return (false, String(line.dropFirst(2)))
        }
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count <= 9 {
            let rest = line.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return (true, String(rest.dropFirst(2))) }
        }
        return nil
    }

    /// Inline spans: code first (its content is literal), then links, strong, emphasis.
    static func inline(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        var plain = ""
        func flush() { out += emphasis(plain); plain = "" }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, "\\`*_[]()#+-.!<>".contains(chars[i + 1]) {
                plain.append("\u{E000}")  // placeholder so emphasis ignores the escaped char
                plain.append(chars[i + 1])
                i += 2
            } else if c == "`" {
                var ticks = 0
                while i + ticks < chars.count, chars[i + ticks] == "`" { ticks += 1 }
                let fence = String(repeating: "`", count: ticks)
                let rest = String(chars[(i + ticks)...])
                if let end = rest.firstRange(of: fence) {
                    flush()
                    var code = String(rest[..<end.lowerBound])
                    if code.hasPrefix(" ") && code.hasSuffix(" ") && code.count > 2 { code = String(code.dropFirst().dropLast()) }
                    out += "<code>" + Markup.escape(code) + "</code>"
                    i += ticks + rest.distance(from: rest.startIndex, to: end.upperBound)
                } else {
                    plain += fence
                    i += ticks
                }
            } else if c == "[", let (label, url, length) = link(chars, i) {
                flush()
                out += "<a href=\"" + Markup.escape(Markup.safeURL(url)) + "\">" + emphasis(label) + "</a>"
                i += length
            } else if c == "<", let (url, length) = autolink(chars, i) {
                flush()
                out += "<a href=\"" + Markup.escape(Markup.safeURL(url)) + "\">" + Markup.escape(url) + "</a>"
                i += length
            } else {
                plain.append(c)
                i += 1
            }
        }
        flush()
        return out
    }

    private static func link(_ chars: [Character], _ start: Int) -> (String, String, Int)? {
        var depth = 0
        var k = start
        while k < chars.count {
            if chars[k] == "[" { depth += 1 } else if chars[k] == "]" { depth -= 1; if depth == 0 { break } }
            k += 1
        }
        guard k + 1 < chars.count, chars[k + 1] == "(" else { return nil }
        var close = k + 2, parens = 1
        while close < chars.count {
            if chars[close] == "(" { parens += 1 } else if chars[close] == ")" { parens -= 1; if parens == 0 { break } }
            close += 1
        }
        guard close < chars.count else { return nil }
        let label = String(chars[(start + 1)..<k])
        var url = String(chars[(k + 2)..<close]).trimmingWhitespace()
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) } // drop a "title"
        return (label, url, close + 1 - start)
    }

    private static func autolink(_ chars: [Character], _ start: Int) -> (String, Int)? {
        guard let close = chars[start...].firstIndex(of: ">") else { return nil }
        let url = String(chars[(start + 1)..<close])
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), !url.contains(" ") else { return nil }
        return (url, close + 1 - start)
    }

    /// `**strong**`, `__strong__`, `*em*`, `_em_` (underscores only at word edges); the
    /// rest escaped. Unmatched markers stay literal.
    static func emphasis(_ text: String) -> String {
        var s = Markup.escape(text)
        s = replacePairs(s, marker: "**", open: "<strong>", close: "</strong>")
        s = replacePairs(s, marker: "__", open: "<strong>", close: "</strong>", wordEdges: true)
        s = replacePairs(s, marker: "*", open: "<em>", close: "</em>")
        s = replacePairs(s, marker: "_", open: "<em>", close: "</em>", wordEdges: true)
        return s.replacing("\u{E000}", with: "")
    }

    private static func replacePairs(_ s: String, marker: String, open: String, close: String, wordEdges: Bool = false) -> String {
        let chars = Array(s)
        let m = Array(marker)
        var out = ""
        var i = 0
        func matches(_ k: Int) -> Bool {
            guard k + m.count <= chars.count, Array(chars[k..<(k + m.count)]) == m else { return false }
            if k > 0, chars[k - 1] == "\u{E000}" { return false }
            return true
        }
        while i < chars.count {
            if matches(i), i + m.count < chars.count, chars[i + m.count] != " ",
               !wordEdges || i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber) {
                // find the closing marker
                var k = i + m.count + 1
                var found: Int? = nil
                while k + m.count <= chars.count {
                    if matches(k), chars[k - 1] != " ",
                       !wordEdges || k + m.count == chars.count || !(chars[k + m.count].isLetter || chars[k + m.count].isNumber) {
                        found = k; break
                    }
                    k += 1
                }
                if let f = found {
                    out += open + String(chars[(i + m.count)..<f]) + close
                    i = f + m.count
                    continue
                }
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}
