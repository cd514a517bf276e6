import Display
import Foundation

/// Where progress lines of long native loops go.
public struct ProgressOutput {
    /// Live output (a redrawn bar on a terminal, summary lines otherwise); nil = none.
    public var stream: ((String) -> Void)?
    /// Whether `stream` is a terminal (redraws with `\r`, escape codes allowed).
    public var isTerminal: Bool
    /// Columns available on the terminal.
    public var width: () -> Int
    /// Receives each loop's final summary line (plain text, no escape codes): a notebook
    /// report's cell output. nil = none.
    public var summary: ((String) -> Void)?
    /// Seconds on a monotonic clock (injectable for tests).
    public var clock: () -> Double

    public init(stream: ((String) -> Void)?, isTerminal: Bool, width: @escaping () -> Int = { 80 },
                summary: ((String) -> Void)? = nil, clock: @escaping () -> Double = ProgressOutput.monotonicSeconds) {
        self.stream = stream; self.isTerminal = isTerminal; self.width = width; self.summary = summary; self.clock = clock
    }

    /// stderr: a redrawn bar when it is a terminal, one summary line per loop otherwise.
    public static func standardError() -> ProgressOutput {
        let tty = ProcessEnvironment.isTerminal(STDERR_FILENO)
        return ProgressOutput(stream: writeStandardError, isTerminal: tty,
                              width: { ProcessEnvironment.columns(STDERR_FILENO) ?? 80 })
    }

    /// For a notebook run: a live bar on stderr only when it is a terminal (someone is
    /// watching), and each loop's final summary line to `summary` (the report).
    public static func notebook(summary: @escaping (String) -> Void) -> ProgressOutput {
        var out = standardError()
        if !out.isTerminal { out.stream = nil }
        out.summary = summary
        return out
    }

    /// No output at all.
    public static var silent: ProgressOutput { ProgressOutput(stream: nil, isTerminal: false) }

    public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    static func writeStandardError(_ text: String) {
        fflush(nil) // buffered program output first, so lines stay in order
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The progress line of one native loop (training, meta-training, CKL epochs):
///
///     let bar = frontend.progressSink(label: "train", total: steps)
///     defer { bar.finish() }
///     for i in 0..<steps { ...; bar.update(done: i + 1, fields: [("loss", "0.4312")]) }
///
/// On a terminal it redraws one line (throttled to 10 per second) and ends it with a
/// newline; elsewhere it writes one summary line at the end (and one every 30 s for long
/// loops). The final summary also goes to `ProgressOutput.summary` (notebook reports),
/// never a redraw or an escape code.
public final class ProgressSink {
    public let label: String
    public private(set) var total: Int
    public let unit: String
    public private(set) var done = 0
    public private(set) var fields: [(String, String)] = []
    private let output: ProgressOutput
    private let start: Double
    private var throttle = ProgressThrottle()
    private var finished = false

    public init(label: String, total: Int, unit: String = "it", output: ProgressOutput) {
        self.label = label; self.total = total; self.unit = unit; self.output = output
        start = output.clock()
        // Off a terminal the first summary comes after ProgressThrottle's interval, not at step 1.
        if !output.isTerminal { _ = throttle.shouldDraw(now: start, done: 0, total: 0, tty: false) }
    }

    /// Records that `done` steps are complete; `total` may change (0 = unknown).
    public func update(done: Int, total: Int? = nil, fields: [(String, String)] = []) {
        guard !finished else { return }
        self.done = max(0, done)
        if let total { self.total = total }
        self.fields = fields
        guard let stream = output.stream else { return }
        let now = output.clock()
        // The last step is drawn by finish(), once.
        if self.total > 0, self.done >= self.total { return }
        guard throttle.shouldDraw(now: now, done: self.done, total: self.total, tty: output.isTerminal) else { return }
        stream(state(now).render(tty: output.isTerminal, width: output.width()))
    }

    /// Ends the line: the final state on the terminal (with a newline), or the summary
    /// line; the summary also goes to the report. Later calls do nothing.
    public func finish(fields: [(String, String)]? = nil) {
        guard !finished else { return }
        finished = true
        if let fields { self.fields = fields }
        let final = state(output.clock())
        if let stream = output.stream {
            stream(final.render(tty: output.isTerminal, width: output.width(), final: true))
        }
        output.summary?(final.render(tty: false))
    }

    func state(_ now: Double) -> Display.Progress {
        Display.Progress(label: label, done: done, total: total, elapsed: max(0, now - start), fields: fields, unit: unit)
    }
}
