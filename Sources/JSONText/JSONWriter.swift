/// Writes JSON the way the released LAMA-ckl files were written (Python
/// `json.dumps(obj, ensure_ascii=False)`): `", "` and `": "` separators, keys in the given
/// order, non-ASCII text kept as UTF-8, floats in Python's shortest `repr` form.
public enum JSONWriter {
    public static func write(_ v: JSONValue) -> String {
        var out = ""
        write(v, into: &out)
        return out
    }

    public static func write(_ v: JSONValue, into out: inout String) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(_, let literal): out += literal
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += ", " }
                write(item, into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (k, pair) in pairs.enumerated() {
                if k > 0 { out += ", " }
                writeString(pair.key, into: &out)
                out += ": "
                write(pair.value, into: &out)
            }
            out += "}"
        }
    }

    /// `s` as a JSON string literal (see `writeString`).
    public static func string(_ s: String) -> String {
        var out = ""
        writeString(s, into: &out)
        return out
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped as Python does.
    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// A finite Double as Python's `repr` writes it: shortest round-trip digits,
    /// `1.0` for integral values, exponent form `1e-05` / `1e+16` outside [1e-4, 1e16).
    public static func pythonFloat(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity") }
        // Swift's description is also shortest round-trip and switches to exponent form at
        // the same thresholds (2^53 aside); normalise its exponent spelling to Python's.
        var s = d.description
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var mantissa = String(s[..<e])
            var exp = String(s[s.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            var sign = "+"
            if exp.hasPrefix("-") { sign = "-"; exp.removeFirst() } else if exp.hasPrefix("+") { exp.removeFirst() }
            if exp.count < 2 { exp = "0" + exp }
            s = mantissa + "e" + sign + exp
        } else if abs(d) >= 1e16 {
            // Swift writes 1e16 as "1e+16" already; values it prints plainly above 1e16 are
            // converted to Python's exponent form.
            s = pythonExponentForm(d)
        }
        return s
    }

    private static func pythonExponentForm(_ d: Double) -> String {
        var digits = d.description
        let negative = digits.hasPrefix("-")
        if negative { digits.removeFirst() }
        if digits.hasSuffix(".0") { digits.removeLast(2) }
        let intDigits = digits.split(separator: ".").first.map(String.init) ?? digits
        let exp = intDigits.count - 1
        var all = digits.replacingOccurrences(of: ".", with: "")
        while all.count > 1 && all.hasSuffix("0") { all.removeLast() }
        let mantissa = all.count > 1 ? String(all.prefix(1)) + "." + String(all.dropFirst()) : all
        return (negative ? "-" : "") + mantissa + "e+" + (exp < 10 ? "0" : "") + String(exp)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
