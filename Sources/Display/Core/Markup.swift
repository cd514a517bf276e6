/// Escaping for XML, SVG and HTML text and attribute values.
public enum Markup {
    /// Escapes `& < > " '` and drops characters XML 1.0 forbids (C0 controls other than
    /// tab, newline and carriage return, e.g. a stray ESC from terminal output), so the
    /// result is always safe inside element text and inside single- or double-quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An attribute list `name="value" ...` with values escaped, in the given order
    /// (attribute order is part of the deterministic output).
    static func attributes(_ attrs: [(String, String)]) -> String {
        attrs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// One element with escaped attributes; `content` is inserted as-is (already markup).
    static func element(_ name: String, _ attrs: [(String, String)], content: String? = nil) -> String {
        let a = attributes(attrs)
        guard let content else { return "<\(name)\(a)/>" }
        return "<\(name)\(a)>\(content)</\(name)>"
    }

    /// Only `http`, `https`, `mailto`, fragment and relative links survive; anything else
    /// (`javascript:`, `data:`) becomes `#`.
    static func safeURL(_ url: String) -> String {
        let trimmed = url.trimmingWhitespace()
        let lower = trimmed.lowercased()
        if let colon = lower.firstIndex(of: ":") {
            let scheme = lower[..<colon]
            let slash = lower.firstIndex(of: "/") ?? lower.endIndex
            if colon < slash, !["http", "https", "mailto"].contains(String(scheme)) { return "#" }
        }
        return trimmed
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
