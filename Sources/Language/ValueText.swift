/// How values become text: `text` is what `print` and interpolation show (strings bare),
/// `repr` is the source-like form used inside lists and by the REPL echo (strings quoted).
public enum ValueText {
    static let maxDepth = 48
    /// Longest text a list or record renders to (16M characters): lists that share their
    /// rows (`a = [a, a]`, forty times) stand for more text than memory holds, so the
    /// text stops there and says so.
    static let maxLength = 1 << 24

    public static func number(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == d.rounded(), abs(d) < 1e16 { return String(Int64(d)) }
        return "\(d)"
    }

    public static func text(_ v: Value, width: Int = 100) -> String {
        if case .string(let s) = v { return s }
        return repr(v, width: width)
    }

    public static func repr(_ v: Value, width: Int = 100) -> String {
        var seen: Set<ObjectIdentifier> = []
        var out = ""
        write(v, into: &out, seen: &seen, depth: 0, width: width)
        if out.utf8.count >= maxLength { out += " … (cut at \(maxLength) characters)" }
        return out
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "{": out += "{{"
            case "}": out += "}}"
            case "\0": out += "\\0"
            default:
                if ch.value < 0x20 { out += "\\u{\(String(ch.value, radix: 16))}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    /// A variable name: letters, digits and `_`, not starting with a digit, not a keyword.
    static func isIdentifier(_ s: String) -> Bool { isName(s) && TokenKind.keywords[s] == nil }

    /// A field or member name: an identifier or a keyword (`r.var`, `{if: 1}`).
    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func write(_ v: Value, into out: inout String, seen: inout Set<ObjectIdentifier>, depth: Int, width: Int) {
        switch v {
        case .null: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += number(d)
        case .string(let s): out += quote(s)
        case .list(let l):
            let id = ObjectIdentifier(l)
            if seen.contains(id) || depth > maxDepth { out += "[...]"; return }
            seen.insert(id)
            out += "["
            for (i, item) in l.items.enumerated() {
                if out.utf8.count >= maxLength { break }
                if i > 0 { out += ", " }
                write(item, into: &out, seen: &seen, depth: depth + 1, width: width)
            }
            out += "]"
            seen.remove(id)
        case .record(let r):
            let id = ObjectIdentifier(r)
            if seen.contains(id) || depth > maxDepth { out += "{...}"; return }
            seen.insert(id)
            out += "{"
            for (i, key) in r.keys.enumerated() {
                if out.utf8.count >= maxLength { break }
                if i > 0 { out += ", " }
                out += isName(key) ? key : quote(key)
                out += ": "
                write(r.values[i], into: &out, seen: &seen, depth: depth + 1, width: width)
            }
            out += "}"
            seen.remove(id)
        case .range(let r):
            out += r.step == 1 ? "range(\(number(r.start)), \(number(r.stop)))"
                : "range(\(number(r.start)), \(number(r.stop)), \(number(r.step)))"
        case .function(let f):
            out += f.proto.name.isEmpty ? "<fn>" : "<fn \(f.proto.name)>"
        case .native(let n):
            out += "<builtin fn \(n.name)>"
        case .object(let o):
            out += o.display(DisplayContext(width: width))
        }
    }
}
