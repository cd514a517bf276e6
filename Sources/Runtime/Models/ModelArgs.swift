import Language
import NN
import TensorCore

/// Reading the arguments of the model builtins: checked numbers, choices, texts and
/// token-id lists, each with an error that names the option.
enum ModelArgs {
    static func int(_ v: Value, _ what: String, min: Int? = nil, max: Int? = nil) throws(NativeError) -> Int {
        guard case .number(let d) = v, d.isFinite, d == d.rounded(), Swift.abs(d) < 1e15 else {
            throw NativeError("\(what) must be an integer, got \(ValueText.repr(v))")
        }
        let n = Int(d)
        if let lo = min, n < lo { throw NativeError("\(what) must be ≥ \(lo), got \(n)") }
        if let hi = max, n > hi { throw NativeError("\(what) must be ≤ \(hi), got \(n)") }
        return n
    }

    static func optionalInt(_ v: Value, _ what: String, min: Int? = nil) throws(NativeError) -> Int? {
        v.isNil ? nil : try int(v, what, min: min)
    }

    static func double(_ v: Value, _ what: String) throws(NativeError) -> Double {
        guard case .number(let d) = v else { throw NativeError("\(what) must be a number, got \(ValueText.repr(v))") }
        guard d.isFinite else { throw NativeError("\(what) must be finite, got \(ValueText.repr(v))") }
        return d
    }

    static func optionalDouble(_ v: Value, _ what: String) throws(NativeError) -> Double? {
        v.isNil ? nil : try double(v, what)
    }

    static func bool(_ v: Value, _ what: String) throws(NativeError) -> Bool {
        guard case .bool(let b) = v else { throw NativeError("\(what) must be true or false, got \(ValueText.repr(v))") }
        return b
    }

    static func string(_ v: Value, _ what: String) throws(NativeError) -> String {
        guard case .string(let s) = v else { throw NativeError("\(what) must be a string, got \(ValueText.repr(v))") }
        return s
    }

    static func seed(_ v: Value, _ what: String) throws(NativeError) -> UInt64 {
        UInt64(bitPattern: Int64(try int(v, what)))
    }

    /// One of `choices` (keys as the user writes them).
    static func choice<T>(_ v: Value, _ what: String, _ choices: [(String, T)]) throws(NativeError) -> T {
        let s = try string(v, what)
        if let hit = choices.first(where: { $0.0 == s }) { return hit.1 }
        throw NativeError("\(what) must be one of \(choices.map { "\"\($0.0)\"" }.joined(separator: ", ")), got \"\(s)\"")
    }

    /// Texts from a string (its non-empty lines) or a list of strings.
    static func texts(_ v: Value, _ what: String) throws(NativeError) -> [String] {
        switch v {
        case .string(let s):
            return s.split(separator: "\n").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        case .list(let l):
            var out: [String] = []
            for (i, item) in l.items.enumerated() {
                guard case .string(let s) = item else {
                    throw NativeError("\(what)[\(i)] must be a string, not \(item.typeName)", hint: "give a string or a list of strings")
                }
                out.append(s)
            }
            return out
        default:
            throw NativeError("\(what) must be a string or a list of strings, not \(v.typeName)")
        }
    }

    /// Token ids from a list of integers or a tensor of integral values.
    static func ids(_ v: Value, _ what: String) throws(NativeError) -> [Int] {
        var out: [Int] = []
        if let t = TensorConvert.tensor(v) {
            guard t.rank <= 1 else { throw NativeError("\(what) must be a rank-1 tensor of token ids, got shape \(shapeString(t.shape))") }
            for x in t.scalars {
                guard x.isFinite, x == x.rounded(), Swift.abs(x) < 1e9 else { throw NativeError("\(what): \(x) is not a token id") }
                out.append(Int(x))
            }
            return out
        }
        guard case .list(let l) = v else { throw NativeError("\(what) must be a list of token ids, not \(v.typeName)") }
        for (i, item) in l.items.enumerated() { out.append(try int(item, "\(what)[\(i)]")) }
        return out
    }

    /// True for a list whose first element is a list or tensor (a batch of id sequences).
    static func isIdBatch(_ v: Value) -> Bool {
        guard case .list(let l) = v, let first = l.items.first else { return false }
        if case .list = first { return true }
        return TensorConvert.tensor(first) != nil
    }

    static func ids(_ xs: [Int]) -> Value { .list(ListBox(xs.map { .number(Double($0)) })) }
    static func strings(_ xs: [String]) -> Value { .list(ListBox(xs.map { .string($0) })) }
    static func numbers(_ xs: [Float]) -> Value { .list(ListBox(xs.map { TensorConvert.number($0) })) }

    /// Glob patterns from a string or a list of strings.
    static func patterns(_ v: Value, _ what: String) throws(NativeError) -> [String] {
        if case .string(let s) = v { return [s] }
        guard case .list(let l) = v, !l.items.isEmpty else {
            throw NativeError("\(what) must be a path pattern (e.g. \"blocks.0.*\") or a list of them")
        }
        var out: [String] = []
        for item in l.items { out.append(try string(item, what)) }
        return out
    }

    /// "118.5k" for 118_500, "1.2M" for 1_200_000, "1.6B" for 1_611_000_000.
    static func count(_ n: Int) -> String {
        func f(_ x: Double) -> String {
            if x >= 100 { return String(Int(x.rounded())) }
            let r = (x * 10).rounded() / 10
            return r == r.rounded() ? String(Int(r)) : String(r)
        }
        if n >= 1_000_000_000 { return f(Double(n) / 1e9) + "B" }
        if n >= 1_000_000 { return f(Double(n) / 1e6) + "M" }
        if n >= 1_000 { return f(Double(n) / 1e3) + "k" }
        return String(n)
    }

    /// A number with `digits` decimals.
    static func fixed(_ x: Double, _ digits: Int = 4) -> String {
        guard x.isFinite else { return String(x) }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (x * p).rounded() / p
        var s = String(r)
        if let dot = s.firstIndex(of: "."), !s.contains("e") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        }
        return s
    }
}
