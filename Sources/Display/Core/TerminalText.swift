/// Plain-text clean-up for anything that came from a terminal-oriented writer.
public enum TerminalText {
    /// Removes ANSI/VT escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL` or
    /// `ESC ] ... ESC \`), other two-byte escapes, and bare C1 CSI (`U+009B`).
    public static func stripANSI(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func skipCSI() {
            // parameter and intermediate bytes 0x20–0x3F, then one final byte 0x40–0x7E
            while i < scalars.count, (0x20...0x3F).contains(scalars[i].value) { i += 1 }
            if i < scalars.count, (0x40...0x7E).contains(scalars[i].value) { i += 1 }
        }
        while i < scalars.count {
            let s = scalars[i]
            if s.value == 0x1B {
                i += 1
                guard i < scalars.count else { break }
                let next = scalars[i]
                i += 1
                switch next {
                case "[": skipCSI()
                case "]", "P", "X", "^", "_":
                    // string sequences end at BEL or ST (ESC \)
                    while i < scalars.count {
                        if scalars[i].value == 0x07 { i += 1; break }
                        if scalars[i].value == 0x1B, i + 1 < scalars.count, scalars[i + 1] == "\\" { i += 2; break }
                        i += 1
                    }
                case "(", ")", "*", "+", "#", "%":
                    if i < scalars.count { i += 1 } // charset designation: one more byte
                default: break // two-byte escape (ESC 7, ESC =, ...)
                }
            } else if s.value == 0x9B {
                i += 1
                skipCSI()
            } else {
                out.append(s)
                i += 1
            }
        }
        return String(out)
    }

    /// What a terminal would finally show for text written with carriage-return redraws:
    /// on each line, text after the last `\r` overwrites from the start of the line.
    /// A `\r\n` pair is a plain line break.
    public static func resolveCarriageReturns(_ text: String) -> String {
        guard text.contains("\r") else { return text }
        let normalized = text.replacing("\r\n", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.contains("\r") else { return String(line) }
            var screen: [Character] = []
            for part in line.split(separator: "\r", omittingEmptySubsequences: false) {
                let chars = Array(part)
                if chars.count >= screen.count { screen = chars } else { screen.replaceSubrange(0..<chars.count, with: chars) }
            }
            return String(screen)
        }.joined(separator: "\n")
    }

    /// Text made fit for a report: escape codes stripped, carriage-return redraws resolved,
    /// other control characters (except tab and newline) removed.
    public static func forReport(_ text: String) -> String {
        let stripped = resolveCarriageReturns(stripANSI(text))
        var out = String.UnicodeScalarView()
        for s in stripped.unicodeScalars {
            if s == "\n" || s == "\t" || !(s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value)) {
                out.append(s)
            }
        }
        return String(out)
    }

    /// Columns a string occupies in a terminal: wide (CJK, emoji) characters take two,
    /// zero-width and control characters none, everything else one.
    public static func width(_ text: String) -> Int {
        var w = 0
        for ch in text { w += width(of: ch) }
        return w
    }

    static func width(of ch: Character) -> Int {
        guard let s = ch.unicodeScalars.first else { return 0 }
        let v = s.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v == 0x200B || v == 0x200D || (0x0300...0x036F).contains(v) || (0xFE00...0xFE0F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Pads with spaces to `width` columns (left-aligned), or right-aligns when `right`.
    static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let gap = max(0, width - Self.width(text))
        let fill = String(repeating: " ", count: gap)
        return right ? fill + text : text + fill
    }

    /// Centres `text` in `width` columns (extra space goes right).
    static func center(_ text: String, in width: Int) -> String {
        let gap = max(0, width - Self.width(text))
        return String(repeating: " ", count: gap / 2) + text + String(repeating: " ", count: gap - gap / 2)
    }

    /// Cuts `text` to at most `width` columns, ending with `…` when something was cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if Self.width(text) <= width { return text }
        var out = ""
        var w = 0
        for ch in text {
            let cw = Self.width(of: ch)
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }
}

