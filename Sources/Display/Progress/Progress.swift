/// One state of a long loop, rendered as a progress line.
public struct Progress: Sendable, Hashable {
    public var label: String
    public var done: Int
    /// Total steps; 0 or less when unknown (no bar, no ETA).
    public var total: Int
    public var elapsed: Double
    /// Extra fields shown after the timing, in order, e.g. `[("loss", "0.4312")]`.
    public var fields: [(String, String)]
    public var unit: String

    public init(label: String = "", done: Int, total: Int, elapsed: Double, fields: [(String, String)] = [], unit: String = "it") {
        self.label = label; self.done = done; self.total = total; self.elapsed = elapsed; self.fields = fields; self.unit = unit
    }

    public static func == (a: Progress, b: Progress) -> Bool {
        a.label == b.label && a.done == b.done && a.total == b.total && a.elapsed == b.elapsed && a.unit == b.unit
            && a.fields.map(\.0) == b.fields.map(\.0) && a.fields.map(\.1) == b.fields.map(\.1)
    }
    public func hash(into h: inout Hasher) { h.combine(label); h.combine(done); h.combine(total); h.combine(elapsed) }

    var fraction: Double? {
        guard total > 0 else { return nil }
        return min(1, max(0, Double(done) / Double(total)))
    }

    /// Steps per second, when measurable.
    var rate: Double? {
        guard elapsed.isFinite, elapsed > 0, done > 0 else { return nil }
        return Double(done) / elapsed
    }

    var eta: Double? {
        guard total > 0, let rate, rate > 0 else { return nil }
        return Double(max(0, total - done)) / rate
    }

    /// For a terminal: `\r`, the line, and erase-to-end-of-line, so repeated writes redraw
    /// one line; `final: true` ends with a newline. The line fits `width` columns (the bar
    /// shrinks first, then fields are dropped).
    /// For anything else (`tty: false`): one plain summary line with a newline and no
    /// escape codes or carriage returns, meant to be written rarely (e.g. at the end, or
    /// every few seconds).
    public func render(tty: Bool, width: Int = 80, final: Bool = false) -> String {
        guard tty else { return summary() + "\n" }
        let line = terminalLine(width: max(20, width))
        return "\r" + line + "\u{1B}[K" + (final ? "\n" : "")
    }

    func terminalLine(width: Int) -> String {
        let prefix = label.isEmpty ? "" : label + " "
        let count = total > 0 ? "\(done)/\(total)" : "\(done)"
        let pct = fraction.map { TerminalText.pad(NumberText.fixed($0 * 100, 0) + "%", to: 4, right: true) }
        let timing = rateText + " " + (total > 0 && done < total ? "ETA " + Progress.clock(eta) : "in " + Progress.clock(elapsed))
        var extras = fields.map { "\($0.0) \($0.1)" }
        func assemble(barWidth: Int) -> String {
            var parts: [String] = []
            if let pct { parts.append(pct) }
            if let f = fraction, barWidth > 0 { parts.append(Progress.bar(f, width: barWidth)) }
            parts.append(count)
            parts.append(timing)
            parts.append(contentsOf: extras)
            return prefix + parts.joined(separator: " ")
        }
        while true {
            let fixed = TerminalText.width(assemble(barWidth: 0))
            let room = width - fixed - 1
            if room >= 10 || extras.isEmpty {
                let bar = fraction == nil ? 0 : min(30, max(0, room))
                return TerminalText.truncate(assemble(barWidth: bar >= 5 ? bar : 0), to: width)
            }
            extras.removeLast()
        }
    }

    /// `label: 450/1000 (45%) in 0:36, 12.5 it/s, ETA 0:44, loss 0.4312`
    func summary() -> String {
        var parts: [String] = []
        var head = label.isEmpty ? "" : label + ": "
        head += total > 0 ? "\(done)/\(total)" : "\(done) \(done == 1 || unit == "it" ? unit : unit + "s")"
        if let f = fraction { head += " (" + NumberText.fixed(f * 100, 0) + "%)" }
        parts.append(head + " in " + Progress.clock(elapsed))
        parts.append(rateText)
        if total > 0, done < total { parts.append("ETA " + Progress.clock(eta)) }
        parts.append(contentsOf: fields.map { "\($0.0) \($0.1)" })
        return TerminalText.forReport(parts.joined(separator: ", ")).replacing("\n", with: " ")
    }

    var rateText: String {
        guard let rate else { return "– \(unit)/s" }
        if rate >= 1 || rate == 0 { return NumberText.compact(rate, significant: 3) + " \(unit)/s" }
        return NumberText.compact(1 / rate, significant: 3) + " s/\(unit)"
    }

    /// `▕██████▌   ▏` with eighth-block resolution.
    static func bar(_ f: Double, width: Int) -> String {
        let inner = max(1, width - 2)
        let units = clampedInt(f * Double(inner * 8))
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][units % 8]
        let full = String(repeating: "█", count: units / 8)
        let fill = full + partial
        return "▕" + fill + String(repeating: " ", count: max(0, inner - units / 8 - (partial.isEmpty ? 0 : 1))) + "▏"
    }

    /// `m:ss`, or `h:mm:ss` past an hour; `?` when unknown.
    static func clock(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "?" }
        guard seconds < 360_000_000 else { return ">10000h" }
        let s = Int(seconds.rounded())
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        let ss = sec < 10 ? "0\(sec)" : "\(sec)"
        if h > 0 { return "\(h):" + (m < 10 ? "0\(m)" : "\(m)") + ":" + ss }
        return "\(m):" + ss
    }
}

/// Decides when a loop should redraw its progress line: at most every `interval` seconds
/// on a terminal (and always for the first and last step); for non-terminals every
/// `summaryInterval` seconds and at the end.
public struct ProgressThrottle: Sendable {
    public var interval: Double
    public var summaryInterval: Double
    private var last: Double = -.infinity

    public init(interval: Double = 0.1, summaryInterval: Double = 30) {
        self.interval = interval; self.summaryInterval = summaryInterval
    }

    public mutating func shouldDraw(now: Double, done: Int, total: Int, tty: Bool) -> Bool {
        let finished = total > 0 && done >= total
        let gap = tty ? interval : summaryInterval
        if finished || now - last >= gap || (tty && done <= 1) {
            last = now
            return true
        }
        return false
    }
}
