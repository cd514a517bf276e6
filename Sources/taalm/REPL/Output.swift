import Foundation
import Glibc

/// Everything the REPL writes: program output, echoes, errors, command output.
///
/// Colour only when stdout is a terminal and `NO_COLOR` is unset or empty
/// (https://no-color.org). Tracks whether the last character written ended a line, so a
/// cell that printed "abc" without a newline does not glue the next prompt to it.
final class Output {
    let colour: Bool
    private(set) var atLineStart = true

    /// `plain`: never colour (piped input gets the REPL's text without escape codes).
    init(environment: [String: String] = ProcessInfo.processInfo.environment, plain: Bool = false) {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        colour = !plain && isatty(STDOUT_FILENO) == 1 && !noColour
    }

    /// Program output (the interpreter's `write` sink) and plain REPL text.
    func write(_ text: String) {
        guard !text.isEmpty else { return }
        StandardStreams.out(text)
        atLineStart = text.hasSuffix("\n")
    }

    func line(_ text: String) { write(text + "\n") }

    /// Prose (help texts) wrapped at word boundaries to the terminal's width.
    func paragraph(_ text: String) { line(Output.wrap(text, width: Output.columns)) }

    /// The terminal's width in columns (100 when it cannot be read).
    static var columns: Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 else { return 100 }
        return Int(size.ws_col)
    }

    /// Wraps each line of `text` at spaces so no line exceeds `width` (a longer word
    /// stays whole); leading indentation is kept on continuation lines.
    static func wrap(_ text: String, width: Int) -> String {
        text.components(separatedBy: "\n").map { line -> String in
            guard line.count > width else { return line }
            let indent = String(line.prefix { $0 == " " })
            var out: [String] = []
            var current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: true) {
                if current.isEmpty { current = indent + word }
                else if current.count + 1 + word.count <= width { current += " " + word }
                else { out.append(current); current = indent + word }
            }
            if !current.isEmpty { out.append(current) }
            return out.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// A value echo, `display  : type`; the type part is dimmed.
    func echo(_ text: String) {
        guard colour, let split = text.range(of: "  : ", options: .backwards) else { return line(text) }
        line(String(text[..<split.lowerBound]) + style("2", String(text[split.lowerBound...])))
    }

    /// A diagnostic from `Interpreter.render`, to stderr, with `error:` in bold red.
    func error(_ text: String) {
        ensureLineStart()
        StandardStreams.flush()
        var shown = text
        if colour {
            shown = shown.replacingOccurrences(of: ": error: ", with: ": " + style("1;31", "error:") + " ")
            if shown.hasPrefix("error: ") { shown = style("1;31", "error:") + shown.dropFirst(6) }
        }
        StandardStreams.err(shown.hasSuffix("\n") ? shown : shown + "\n")
    }

    /// A REPL note (not program output), dimmed.
    func note(_ text: String) { line(style("2", text)) }

    func ensureLineStart() { if !atLineStart { write("\n") } }

    func flush() { StandardStreams.flush() }

    func style(_ sgr: String, _ text: String) -> String {
        colour ? "\u{1B}[\(sgr)m\(text)\u{1B}[0m" : text
    }
}
