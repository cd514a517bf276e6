import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML with Foundation's XMLParser; returns the error text, nil when well-formed.
func xmlError(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    if parser.parse() { return nil }
    return parser.parserError.map { "\($0)" } ?? "parse failed at line \(parser.lineNumber)"
}

/// A small HTML well-formedness checker: every non-void element is closed in order,
/// attribute values are quoted, `<` and `&` in text start a tag or an entity, and the
/// contents of `<style>` are skipped. Returns the first problem, nil when fine.
func htmlError(_ text: String) -> String? {
    let voids: Set<String> = ["meta", "link", "br", "hr", "img", "input", "wbr", "col", "source"]
    let chars = Array(text.unicodeScalars)
    var stack: [String] = []
    var i = 0
    var line = 1
    func at() -> String { "line \(line)" }
    while i < chars.count {
        let c = chars[i]
        if c == "\n" { line += 1 }
        if c == "&" {
            var k = i + 1
            while k < chars.count, k - i < 12, chars[k] != ";" {
                let v = chars[k]
                guard (v >= "a" && v <= "z") || (v >= "A" && v <= "Z") || (v >= "0" && v <= "9") || v == "#" else { return "bare & at \(at())" }
                k += 1
            }
            guard k < chars.count, chars[k] == ";" else { return "unterminated entity at \(at())" }
            i = k + 1
            continue
        }
        guard c == "<" else { i += 1; continue }
        if text.unicodeScalars.count > i + 3, String(String.UnicodeScalarView(chars[i..<min(chars.count, i + 4)])) == "<!--" {
            while i + 2 < chars.count, !(chars[i] == "-" && chars[i + 1] == "-" && chars[i + 2] == ">") { i += 1 }
            i += 3
            continue
        }
        var k = i + 1
        if k < chars.count, chars[k] == "!" { // doctype
            while k < chars.count, chars[k] != ">" { k += 1 }
            i = k + 1
            continue
        }
        let closing = k < chars.count && chars[k] == "/"
        if closing { k += 1 }
        var name = ""
        while k < chars.count, (chars[k] >= "a" && chars[k] <= "z") || (chars[k] >= "A" && chars[k] <= "Z") || (chars[k] >= "0" && chars[k] <= "9") {
            name.unicodeScalars.append(chars[k]); k += 1
        }
        if name.isEmpty { return "bare < at \(at())" }
        name = name.lowercased()
        // attributes
        var selfClosing = false
        while k < chars.count, chars[k] != ">" {
            let a = chars[k]
            if a == "\"" || a == "'" { return "stray quote in <\(name)> at \(at())" }
            if a == "=" {
                k += 1
                guard k < chars.count, chars[k] == "\"" || chars[k] == "'" else { return "unquoted attribute in <\(name)> at \(at())" }
                let q = chars[k]
                k += 1
                while k < chars.count, chars[k] != q {
                    if chars[k] == "<" { return "< inside attribute of <\(name)> at \(at())" }
                    k += 1
                }
            } else if a == "/" {
                selfClosing = true
            } else if a == "<" {
                return "< inside tag <\(name)> at \(at())"
            }
            k += 1
        }
        guard k < chars.count else { return "unterminated tag <\(name)>" }
        i = k + 1
        if closing {
            guard let top = stack.popLast() else { return "</\(name)> without opening at \(at())" }
            if top != name { return "</\(name)> closes <\(top)> at \(at())" }
        } else if !selfClosing && !voids.contains(name) {
            if name == "style" || name == "script" {
                let close = Array("</\(name)>".unicodeScalars)
                while i + close.count <= chars.count, Array(chars[i..<(i + close.count)]) != close {
                    if chars[i] == "\n" { line += 1 }
                    i += 1
                }
                i += close.count
            } else {
                stack.append(name)
            }
        }
    }
    return stack.isEmpty ? nil : "unclosed <\(stack.last!)>"
}

/// All `<svg>...</svg>` blocks inside an HTML page.
func svgBlocks(_ html: String) -> [String] {
    var out: [String] = []
    var rest = Substring(html)
    while let start = rest.firstRange(of: "<svg"), let end = rest[start.lowerBound...].firstRange(of: "</svg>") {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}

/// Values of attribute `name` in every element that has it.
func attributeValues(_ name: String, in text: String) -> [String] {
    var out: [String] = []
    var rest = Substring(text)
    let key = " \(name)=\""
    while let r = rest.firstRange(of: key) {
        let after = rest[r.upperBound...]
        guard let q = after.firstIndex(of: "\"") else { break }
        out.append(String(after[..<q]))
        rest = after[q...]
    }
    return out
}
