/// Deterministic number formatting (no locale, no Foundation).
public enum NumberText {
    /// `x` with exactly `decimals` digits after the point (`fixed(0.825, 2)` = `"0.83"`,
    /// half away from zero). Non-finite values read `nan`, `inf`, `-inf`; `-0` reads as `0`.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return nonFinite(x) }
        let d = max(0, min(decimals, 12))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return shortest(x) }
        let n = UInt64(scaled)
        if n == 0 { return d == 0 ? "0" : "0." + String(repeating: "0", count: d) }
        var digits = String(n)
        if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
        let sign = x < 0 ? "-" : ""
        guard d > 0 else { return sign + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -d)
        return sign + digits[..<cut] + "." + digits[cut...]
    }

    /// The shortest text that reads back as the same Double (Swift's own algorithm),
    /// without a trailing `.0` for integers: `0.82`, `3`, `1e-06`.
    public static func shortest(_ x: Double) -> String {
        guard x.isFinite else { return nonFinite(x) }
        if x == 0 { return "0" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// About `significant` significant digits, trailing zeros removed, switching to
    /// exponent form outside [1e-4, 1e6): `0.1235`, `1235`, `1.2e+07`.
    public static func compact(_ x: Double, significant: Int = 4) -> String {
        guard x.isFinite else { return nonFinite(x) }
        if x == 0 { return "0" }
        let a = abs(x)
        let exponent = Int(log10Floor(a))
        if a >= 1e-4 && a < 1e6 {
            let decimals = max(0, significant - 1 - exponent)
            return trimZeros(fixed(x, decimals))
        }
        let mantissa = x / pow10(exponent)
        var m = trimZeros(fixed(mantissa, max(0, significant - 1)))
        var e = exponent
        if m == "10" || m == "-10" { m = x < 0 ? "-1" : "1"; e += 1 }
        return m + "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
    }

    /// Tick-label text for a value on an axis whose ticks are `step` apart.
    static func tick(_ x: Double, step: Double) -> String {
        guard x.isFinite else { return nonFinite(x) }
        let a = abs(x)
        if a != 0 && (a >= 1e6 || a < 1e-4) || (step > 0 && step < 1e-4) { return compact(x, significant: 3) }
        guard step > 0, step.isFinite else { return compact(x) }
        var decimals = max(0, -Int(log10Floor(step)))
        // one more decimal while the step itself does not survive rounding (0.25 needs two)
        while decimals < 10, abs(step - (step * pow10(decimals)).rounded() / pow10(decimals)) > step * 1e-6 { decimals += 1 }
        return fixed(x, decimals)
    }

    /// A coordinate for SVG: at most two decimals, no trailing zeros.
    static func coord(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        return trimZeros(fixed(x, 2))
    }

    static func nonFinite(_ x: Double) -> String {
        x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
    }

    static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return t == "-0" ? "0" : String(t)
    }

    /// floor(log10(a)) for a > 0, exact at powers of ten.
    static func log10Floor(_ a: Double) -> Double {
        var e = 0
        var v = a
        if v >= 1 {
            while v >= 10 { v /= 10; e += 1 }
        } else {
            while v < 1 { v *= 10; e -= 1 }
        }
        // guard against rounding drift
        if pow10(e + 1) <= a { e += 1 }
        if pow10(e) > a { e -= 1 }
        return Double(e)
    }

    static func pow10(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<min(e, 330) { r *= 10 } } else { for _ in 0..<min(-e, 330) { r /= 10 } }
        return r
    }
}
