/// A resolved position: file name, 1-based line and column, and the line's text for the caret.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var lineText: String
    public init(file: String, line: Int, column: Int, lineText: String = "") {
        self.file = file; self.line = line; self.column = column; self.lineText = lineText
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// One message of the diagnostics funnel.
public struct Diagnostic: Sendable, Equatable {
    public var message: String
    public var hint: String?
    public var location: SourceLocation?
    /// The parser (or lexer) ran out of input in the middle of a construct: a REPL keeps reading.
    public var isUnexpectedEnd: Bool
    public init(message: String, hint: String? = nil, location: SourceLocation?, isUnexpectedEnd: Bool = false) {
        self.message = message; self.hint = hint; self.location = location; self.isUnexpectedEnd = isUnexpectedEnd
    }
}

/// One taalm frame of a runtime error's trace.
public struct TraceFrame: Sendable, Equatable {
    /// `fn name`, `fn <anonymous>`, or `<top level>`.
    public var function: String
    public var location: SourceLocation
    /// How many consecutive identical frames this entry stands for (deep recursion).
    public var count: Int = 1
}

/// Every error the language reports: compile errors (several at once), runtime errors
/// (with a trace), interrupts. Rendered by `Diagnostics.render` — the one funnel.
public struct TaalmError: Error, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Lexing, parsing or resolving failed; `diagnostics` holds every error found.
        case parse
        /// The input stopped in the middle of a construct (a REPL reads another line).
        case incomplete
        /// A runtime error; `diagnostics` holds one message, `trace` the taalm frames.
        case runtime
        /// Ctrl-C (or `Interrupt.request()`) stopped the evaluation.
        case interrupted
    }
    public var kind: Kind
    public var diagnostics: [Diagnostic]
    public var trace: [TraceFrame]
    /// Frames left out of `trace` (deep recursion keeps the innermost and outermost few).
    public var omittedFrames: Int

    public init(kind: Kind, diagnostics: [Diagnostic], trace: [TraceFrame] = [], omittedFrames: Int = 0) {
        self.kind = kind; self.diagnostics = diagnostics; self.trace = trace; self.omittedFrames = omittedFrames
    }

    /// The first diagnostic's message.
    public var message: String { diagnostics.first?.message ?? "error" }
    /// The first diagnostic's location.
    public var location: SourceLocation? { diagnostics.first?.location }
    /// Process exit code: 65 for compile errors, 70 for runtime errors and interrupts.
    public var exitCode: Int32 {
        switch kind {
        case .parse, .incomplete: return 65
        case .runtime, .interrupted: return 70
        }
    }
}

/// The one place diagnostics become text:
///
///     file:3:5: error: message
///         3 | let y = x +* 2
///           |             ^
///     hint: ...
///       in fn square at file:3:5
public enum Diagnostics {
    public static func render(_ error: TaalmError, color: Bool = false) -> String {
        var out = error.diagnostics.map { render($0, color: color) }.joined(separator: "\n")
        var lines: [String] = []
        for (i, frame) in error.trace.enumerated() {
            if error.omittedFrames > 0, i == error.trace.count - TaalmErrorLimits.outerFrames, i > 0 {
                lines.append("  ... \(error.omittedFrames) more frame\(error.omittedFrames == 1 ? "" : "s")")
            }
            let times = frame.count > 1 ? " (\(frame.count) times)" : ""
            lines.append("  in \(frame.function) at \(frame.location)\(times)")
        }
        if !lines.isEmpty { out += "\n" + lines.joined(separator: "\n") }
        return out
    }

    public static func render(_ d: Diagnostic, color: Bool = false) -> String {
        let red = color ? "\u{1B}[1;31m" : "", bold = color ? "\u{1B}[1m" : ""
        let cyan = color ? "\u{1B}[1;36m" : "", reset = color ? "\u{1B}[0m" : ""
        var out: String
        if let loc = d.location {
            out = "\(bold)\(loc):\(reset) \(red)error:\(reset) \(bold)\(d.message)\(reset)"
            if !loc.lineText.isEmpty || loc.column <= 1 {
                let number = String(loc.line)
                let gutter = String(repeating: " ", count: number.count)
                var pad = ""
                for (i, ch) in loc.lineText.enumerated() where i < loc.column - 1 { pad.append(ch == "\t" ? "\t" : " ") }
                if pad.count < loc.column - 1 { pad += String(repeating: " ", count: loc.column - 1 - pad.count) }
                out += "\n \(number) | \(loc.lineText)\n \(gutter) | \(pad)\(red)^\(reset)"
            }
        } else {
            out = "\(red)error:\(reset) \(bold)\(d.message)\(reset)"
        }
        if let hint = d.hint { out += "\n\(cyan)hint:\(reset) \(hint)" }
        return out
    }
}

enum TaalmErrorLimits {
    static let innerFrames = 8
    static let outerFrames = 3
}
