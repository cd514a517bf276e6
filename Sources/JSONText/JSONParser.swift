/// A strict RFC 8259 JSON parser over UTF-8 bytes. It never traps: any input either parses
/// or throws a `JSONSyntaxError` with the byte column where parsing failed.
///
/// Written here (instead of Foundation's decoders) to keep object key order, keep number
/// literals, reject duplicate keys, bound nesting depth, and give one message format.
public struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based column (in UTF-8 bytes) of the offending input.
    public let column: Int
    public let message: String
    public var description: String { "\(message) at column \(column)" }
}

public struct JSONParser {
    /// Arrays and objects nested deeper than this are rejected (no stack overflow).
    public static let maxDepth = 256

    private let bytes: [UInt8]
    private var i = 0

    /// Parses one complete JSON text (surrounding whitespace allowed).
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    public static func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var p = JSONParser(bytes: bytes)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i < p.bytes.count { throw p.fail("unexpected text after the JSON value") }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func fail(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(column: i + 1, message: message)
    }

    private var atEnd: Bool { i >= bytes.count }
    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard let c = peek else { throw fail("unexpected end of input") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character '\(printable(c))'")
        }
    }

    private func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "\\x" + String(c, radix: 16)
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        for b in word.utf8 {
            guard peek == b else { throw fail("invalid literal (expected \(word))") }
            i += 1
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
        i += 1  // {
        var pairs: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipSpace()
        if peek == UInt8(ascii: "}") { i += 1; return .object(pairs) }
        while true {
            skipSpace()
            if atEnd { throw fail("unexpected end of input in an object") }
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyStart = i
            let key = try string()
            if !seen.insert(key).inserted {
                throw JSONSyntaxError(column: keyStart + 1, message: "duplicate key \"\(key)\"")
            }
            skipSpace()
            guard peek == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            i += 1
            skipSpace()
            pairs.append((key, try value(depth: depth)))
            skipSpace()
            guard let c = peek else { throw fail("unexpected end of input in an object") }
            i += 1
            if c == UInt8(ascii: "}") { return .object(pairs) }
            if c != UInt8(ascii: ",") { i -= 1; throw fail("expected ',' or '}' in an object") }
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
        i += 1  // [
        var items: [JSONValue] = []
        skipSpace()
        if peek == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth))
            skipSpace()
            guard let c = peek else { throw fail("unexpected end of input in an array") }
            i += 1
            if c == UInt8(ascii: "]") { return .array(items) }
            if c != UInt8(ascii: ",") { i -= 1; throw fail("expected ',' or ']' in an array") }
        }
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = i
        func digits(_ p: inout JSONParser) -> Int {
            var n = 0
            while let c = p.peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { p.i += 1; n += 1 }
            return n
        }
        if peek == UInt8(ascii: "-") { i += 1 }
        if peek == UInt8(ascii: "0") {
            i += 1
        } else if digits(&self) == 0 {
            throw fail("invalid number")
        }
        if peek == UInt8(ascii: ".") {
            i += 1
            if digits(&self) == 0 { throw fail("invalid number (digits expected after '.')") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            if digits(&self) == 0 { throw fail("invalid number (digits expected in the exponent)") }
        }
        let literal = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let d = Double(literal), d.isFinite else {
            i = start
            throw fail("number \(literal) is out of range")
        }
        return .number(d, literal: literal)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek else { throw fail("unexpected end of input in a \\u escape") }
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard let c = peek else { throw fail("unterminated string") }
            if c == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<i])
                i += 1
                break
            }
            if c < 0x20 { throw fail("control character in a string (must be escaped)") }
            if c != UInt8(ascii: "\\") { i += 1; continue }
            out.append(contentsOf: bytes[runStart..<i])
            i += 1
            guard let e = peek else { throw fail("unterminated escape") }
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard peek == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u")
                    else { throw fail("unpaired surrogate in a \\u escape") }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw fail("unpaired surrogate in a \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                i -= 1
                throw fail("invalid escape '\\\(printable(e))'")
            }
            runStart = i
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw fail("string is not valid UTF-8")
        }
        return s
    }
}
