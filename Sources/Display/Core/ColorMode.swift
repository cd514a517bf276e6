/// Whether and how terminal output is coloured.
public enum ColorMode: Sendable, Hashable {
    /// No escape codes at all (pipes, files, `NO_COLOR`, golden tests).
    case off
    /// xterm 256-colour palette.
    case ansi256
    /// 24-bit colour.
    case truecolor

    /// `true` → truecolor, `false` → off, for callers that only know "colour or not".
    public init(_ color: Bool) { self = color ? .truecolor : .off }

    /// The mode for a stream: off unless it is a terminal and `NO_COLOR` is unset or empty
    /// (no-color.org); truecolor when `COLORTERM` says so, 256 colours otherwise; off for `TERM=dumb`.
    public static func detect(isTerminal: Bool, environment: [String: String]) -> ColorMode {
        guard isTerminal else { return .off }
        if let nc = environment["NO_COLOR"], !nc.isEmpty { return .off }
        if environment["TERM"] == "dumb" { return .off }
        let ct = environment["COLORTERM"]?.lowercased() ?? ""
        return ct == "truecolor" || ct == "24bit" ? .truecolor : .ansi256
    }

    public var enabled: Bool { self != .off }
}

/// ANSI SGR sequences.
enum ANSI {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let dim = "\u{1B}[2m"

    static func foreground(_ c: RGB, _ mode: ColorMode) -> String {
        switch mode {
        case .off: return ""
        case .ansi256: return "\u{1B}[38;5;\(index256(c))m"
        case .truecolor: return "\u{1B}[38;2;\(c.r);\(c.g);\(c.b)m"
        }
    }

    static func background(_ c: RGB, _ mode: ColorMode) -> String {
        switch mode {
        case .off: return ""
        case .ansi256: return "\u{1B}[48;5;\(index256(c))m"
        case .truecolor: return "\u{1B}[48;2;\(c.r);\(c.g);\(c.b)m"
        }
    }

    /// `text` wrapped in the given codes and a reset; unchanged when `mode` is off.
    static func paint(_ text: String, fg: RGB? = nil, bg: RGB? = nil, bold: Bool = false, _ mode: ColorMode) -> String {
        guard mode != .off, fg != nil || bg != nil || bold else { return text }
        var s = bold ? ANSI.bold : ""
        if let fg { s += foreground(fg, mode) }
        if let bg { s += background(bg, mode) }
        return s + text + reset
    }

    /// Nearest xterm-256 colour: the 6×6×6 cube or the 24-step grey ramp.
    static func index256(_ c: RGB) -> Int {
        let levels: [Int] = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<6 where abs(levels[i] - Int(v)) < abs(levels[best] - Int(v)) { best = i }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(c.r), nearestLevel(c.g), nearestLevel(c.b))
        let cube = (levels[ri], levels[gi], levels[bi])
        let avg = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyIndex = min(23, max(0, (avg - 8 + 5) / 10))
        let grey = 8 + 10 * greyIndex
        func dist(_ a: (Int, Int, Int)) -> Int {
            let dr = a.0 - Int(c.r), dg = a.1 - Int(c.g), db = a.2 - Int(c.b)
            return dr * dr + dg * dg + db * db
        }
        return dist((grey, grey, grey)) < dist(cube) ? 232 + greyIndex : 16 + 36 * ri + 6 * gi + bi
    }
}
