/// A 24-bit sRGB colour.
public struct RGB: Sendable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// `#rrggbb`.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for v in [r, g, b] { s.append(digits[Int(v >> 4)]); s.append(digits[Int(v & 0xF)]) }
        return s
    }

    /// WCAG relative luminance in [0, 1].
    public var luminance: Double {
        func lin(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.04045 ? v / 12.92 : power24((v + 0.055) / 1.055)
        }
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// Black or white, whichever reads better on this colour as a background.
    public var textColor: RGB {
        luminance > 0.22 ? RGB(0x11, 0x11, 0x11) : RGB(0xFF, 0xFF, 0xFF)
    }

    /// Linear interpolation in sRGB (`t` clamped to [0, 1]).
    static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        let t = t.isFinite ? min(1, max(0, t)) : 0
        func m(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return RGB(m(a.r, b.r), m(a.g, b.g), m(a.b, b.b))
    }
}

/// x^2.4 without Foundation (x² · (x²)^(1/5)), for the sRGB transfer function.
private func power24(_ x: Double) -> Double {
    guard x > 0 else { return 0 }
    return x * x * fifthRoot(x * x)
}

private func fifthRoot(_ x: Double) -> Double {
    guard x > 0 else { return 0 }
    var g = x < 1 ? 1.0 : x / 5
    for _ in 0..<60 {
        let g4 = g * g * g * g
        let next = g - (g4 * g - x) / (5 * g4)
        if abs(next - g) <= 1e-15 * g { return next }
        g = next
    }
    return g
}

/// How values map to colours.
public enum ColorScale: Sendable, Hashable {
    /// White (low) → yellow → orange → dark red (high), for values in a [min, max] range,
    /// e.g. token weights in [0, 1]. Darkness grows monotonically with the value.
    case sequential
    /// Blue (negative) → white (zero) → red (positive), symmetric around zero, for signed
    /// values such as meta-gradients.
    case diverging

    static let sequentialStops: [(Double, RGB)] = [
        (0.0, RGB(hex: 0xFFFFFF)), (0.2, RGB(hex: 0xFFEDA0)), (0.4, RGB(hex: 0xFEB24C)),
        (0.65, RGB(hex: 0xFC4E2A)), (0.85, RGB(hex: 0xBD0026)), (1.0, RGB(hex: 0x800026)),
    ]
    static let negativeStops: [(Double, RGB)] = [
        (0.0, RGB(hex: 0xFFFFFF)), (0.25, RGB(hex: 0xD1E5F0)), (0.5, RGB(hex: 0x92C5DE)),
        (0.75, RGB(hex: 0x4393C3)), (1.0, RGB(hex: 0x2166AC)),
    ]
    static let positiveStops: [(Double, RGB)] = [
        (0.0, RGB(hex: 0xFFFFFF)), (0.25, RGB(hex: 0xFDDBC7)), (0.5, RGB(hex: 0xF4A582)),
        (0.75, RGB(hex: 0xD6604D)), (1.0, RGB(hex: 0xB2182B)),
    ]

    /// The colour for position `t`: in [0, 1] for `.sequential`, in [-1, 1] for `.diverging`.
    /// Out-of-range positions clamp; NaN gives a neutral grey.
    public func color(at t: Double) -> RGB {
        guard !t.isNaN else { return RGB(hex: 0xBBBBBB) }
        switch self {
        case .sequential:
            return ColorScale.interpolate(ColorScale.sequentialStops, min(1, max(0, t)))
        case .diverging:
            let c = min(1, max(-1, t))
            return c < 0 ? ColorScale.interpolate(ColorScale.negativeStops, -c)
                         : ColorScale.interpolate(ColorScale.positiveStops, c)
        }
    }

    static func interpolate(_ stops: [(Double, RGB)], _ t: Double) -> RGB {
        for k in 1..<stops.count where t <= stops[k].0 {
            let (t0, c0) = stops[k - 1], (t1, c1) = stops[k]
            return RGB.mix(c0, c1, (t - t0) / (t1 - t0))
        }
        return stops[stops.count - 1].1
    }
}

/// A value range and scale: turns values into scale positions and colours.
public struct ColorMapping: Sendable, Hashable {
    public var scale: ColorScale
    /// For `.sequential`: the values shown palest and darkest. For `.diverging`: the
    /// magnitude `max(|lower|, |upper|)` is what saturates; zero is always white.
    public var lower: Double
    public var upper: Double

    public init(scale: ColorScale, lower: Double, upper: Double) {
        self.scale = scale
        let (a, b) = ColorMapping.repair(lower, upper, scale: scale)
        self.lower = a
        self.upper = b
    }

    /// A mapping fitted to `values`: sequential over [0, 1] when all finite values lie
    /// there (weights), over their own range otherwise; diverging symmetric when any is negative.
    public static func fitted(to values: [Double], scale: ColorScale? = nil) -> ColorMapping {
        let finite = values.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let chosen = scale ?? (lo < 0 ? .diverging : .sequential)
        switch chosen {
        case .sequential:
            if lo >= 0 && hi <= 1 { return ColorMapping(scale: .sequential, lower: 0, upper: 1) }
            return ColorMapping(scale: .sequential, lower: lo, upper: hi)
        case .diverging:
            let m = max(abs(lo), abs(hi))
            return ColorMapping(scale: .diverging, lower: -m, upper: m)
        }
    }

    private static func repair(_ lo: Double, _ hi: Double, scale: ColorScale) -> (Double, Double) {
        switch scale {
        case .sequential:
            var a = lo.isFinite ? lo : 0, b = hi.isFinite ? hi : 1
            if a > b { swap(&a, &b) }
            if a == b { b = a + 1 }
            return (a, b)
        case .diverging:
            var m = max(lo.isFinite ? abs(lo) : 0, hi.isFinite ? abs(hi) : 0)
            if m == 0 { m = 1 }
            return (-m, m)
        }
    }

    /// Scale position of a value (see `ColorScale.color(at:)`); NaN stays NaN.
    public func position(_ v: Double) -> Double {
        guard !v.isNaN else { return .nan }
        switch scale {
        case .sequential: return min(1, max(0, (v - lower) / (upper - lower)))
        case .diverging: return min(1, max(-1, v / upper))
        }
    }

    public func color(_ v: Double) -> RGB { scale.color(at: position(v)) }

    /// Position in [0, 1] along the legend (low → high); NaN stays NaN.
    func legendFraction(_ v: Double) -> Double {
        let p = position(v)
        return scale == .diverging ? (p + 1) / 2 : p
    }

    /// Values at `count` evenly spaced legend stops, low → high.
    func legendValues(_ count: Int) -> [Double] {
        let n = max(2, count)
        return (0..<n).map { lower + (upper - lower) * Double($0) / Double(n - 1) }
    }
}

/// Colours for chart series (Tableau 10: distinct, readable on white).
enum Palette {
    static let series: [RGB] = [
        RGB(hex: 0x4E79A7), RGB(hex: 0xF28E2B), RGB(hex: 0xE15759), RGB(hex: 0x76B7B2), RGB(hex: 0x59A14F),
        RGB(hex: 0xEDC948), RGB(hex: 0xB07AA1), RGB(hex: 0xFF9DA7), RGB(hex: 0x9C755F), RGB(hex: 0xBAB0AC),
    ]
    static func color(_ i: Int) -> RGB { series[((i % series.count) + series.count) % series.count] }
}
