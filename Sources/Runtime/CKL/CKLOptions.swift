import CKL
import Language
import NN

/// Reading the options of the CKL builtins: numbers, flags, and "true or a record of
/// settings" values (`lora: true`, `lora: 8`, `lora: {rank: 8, alpha: 16}`), with errors
/// that name the option.
enum CKLOptions {
    static func fail(_ fn: String, _ message: String, hint: String? = nil) -> NativeError {
        NativeError("\(fn): \(message)", hint: hint)
    }

    static func int(_ v: Value?, _ fn: String, _ name: String, range: ClosedRange<Int> = 0...1_000_000) throws(NativeError) -> Int? {
        guard let v, !v.isNil else { return nil }
        guard case .number(let d) = v, d == d.rounded(), d.isFinite, d >= Double(range.lowerBound), d <= Double(range.upperBound) else {
            throw fail(fn, "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(describe(v))")
        }
        return Int(d)
    }

    static func number(_ v: Value?, _ fn: String, _ name: String) throws(NativeError) -> Double? {
        guard let v, !v.isNil else { return nil }
        guard case .number(let d) = v, d.isFinite else { throw fail(fn, "\(name) must be a finite number, not \(describe(v))") }
        return d
    }

    static func string(_ v: Value?, _ fn: String, _ name: String) throws(NativeError) -> String? {
        guard let v, !v.isNil else { return nil }
        guard case .string(let s) = v else { throw fail(fn, "\(name) must be a string, not \(describe(v))") }
        return s
    }

    static func bool(_ v: Value?, _ fn: String, _ name: String, default d: Bool) throws(NativeError) -> Bool {
        guard let v, !v.isNil else { return d }
        guard case .bool(let b) = v else { throw fail(fn, "\(name) must be true or false, not \(describe(v))") }
        return b
    }

    static func seed(_ v: Value?, _ fn: String) throws(NativeError) -> UInt64? {
        guard let n = try int(v, fn, "seed", range: 0...Int(Int32.max)) else { return nil }
        return UInt64(n)
    }

    /// A setting given as `true`, a number (the main knob) or a record; nil/false = off.
    enum Setting {
        case off
        case on([String: Value])
    }

    static func setting(_ v: Value?, _ fn: String, _ name: String, numberKey: String, keys: [String]) throws(NativeError) -> Setting {
        guard let v, !v.isNil else { return .off }
        switch v {
        case .bool(let b): return b ? .on([:]) : .off
        case .number: return .on([numberKey: v])
        case .record(let r):
            var out: [String: Value] = [:]
            for k in r.keys {
                guard keys.contains(k) else {
                    throw fail(fn, "\(name) has no setting '\(k)'", hint: "\(name) takes \(keys.joined(separator: ", "))")
                }
                out[k] = r[k]
            }
            return .on(out)
        default:
            throw fail(fn, "\(name) must be true, a number (\(numberKey)) or a record of \(keys.joined(separator: ", ")); got \(describe(v))")
        }
    }

    static func intList(_ v: Value?, _ fn: String, _ name: String) throws(NativeError) -> [Int]? {
        guard let v, !v.isNil else { return nil }
        guard case .list(let l) = v else { throw fail(fn, "\(name) must be a list of integers, not \(describe(v))") }
        var out: [Int] = []
        for item in l.items { out.append(try int(item, fn, name, range: 0...4096) ?? 0) }
        return out
    }

    static func describe(_ v: Value) -> String {
        switch v {
        case .string(let s): return "the string \"\(s.prefix(40))\""
        case .number(let d): return "the number \(d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int(d)) : String(d))"
        default: return "a \(v.typeName)"
        }
    }

    /// Errors of the CKL layer as language errors.
    static func run<T>(_ fn: String, _ body: () throws(CKLError) -> T) throws(NativeError) -> T {
        do { return try body() } catch {
            switch error {
            case .pretrainingTargetMissed:
                throw fail(fn, error.description, hint: "pass max_epochs: (more epochs), a larger dim:, or lr:")
            default: throw fail(fn, error.description)
            }
        }
    }
}
