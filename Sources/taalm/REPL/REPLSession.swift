import Foundation
import Language
import Synchronization

/// The read–eval–print loop: policy over the interpreter, the line editor and history.
///
/// Decisions:
/// - A cell is complete when the interpreter says so (`completeness(of:)`: the parser
///   reached end of input mid-construct means "keep reading"), never by counting brackets.
///   Blank lines inside a cell are kept (they are ordinary in function bodies). Two blank
///   lines in a row at `...>` submit the cell anyway, so the parser can say what is
///   missing: the way out of a construct you cannot finish.
/// - A line may hold newlines (bracketed paste); it is added to the cell as it is, and the
///   whole paste runs as one cell once complete.
/// - `:cmd` and `?name` are commands only at the main prompt.
/// - Ctrl-C at a prompt drops the line and any pending cell. Ctrl-D at `taalm> ` quits;
///   at `...> ` it drops the pending cell (a second Ctrl-D then quits).
/// - Errors (including "interrupted") go through `Interpreter.render`; the loop goes on.
final class REPLSession {
    static let prompt = "taalm> "
    static let continuationPrompt = "...> "

    let interpreter: Interpreter
    let output: Output
    let history: History
    /// Set up on first use: piped input never touches readline.
    lazy var editor = LineEditor(completer: Completer(interpreter: interpreter))
    /// The file name diagnostics give cells, and how many lines came before the current
    /// one (piped input keeps the line numbers of the whole input).
    var fileName = "<repl>"
    var linesBefore = 0
    /// The exit code of the first failure (piped input exits with it).
    private(set) var status: Int32 = 0

    init(interpreter: Interpreter, output: Output = Output(), history: History = History()) {
        self.interpreter = interpreter
        self.output = output
        self.history = history
    }

    /// Records a failure's exit code (the first one wins).
    func failed(_ code: Int32) { if status == 0 { status = code } }

    /// Source text as the interpreter should see it: padded so line numbers are the input's.
    func cell(_ source: String) -> String { String(repeating: "\n", count: linesBefore) + source }

    enum Input { case code(String), command(String), endOfInput }

    func run() -> Int32 {
        SignalHandling.install()
        defer { SignalHandling.uninstall() }
        history.load()
        interpreter.write = { [output] in output.write($0) }
        output.note("taalm — :help for help, Ctrl-D to quit")
        while true {
            switch readInput() {
            case .endOfInput:  // readline has already ended the prompt's line
                output.flush()
                return 0
            case .command(let text):
                history.add(text)
                if runCommand(text) == .quit { output.flush(); return 0 }
            case .code(let source):
                history.add(source)
                run(source)
            }
            output.flush()
        }
    }

    /// Reads lines until they form a cell, a command, or the input ends.
    func readInput() -> Input {
        var lines: [String] = []
        var blankRun = 0
        while true {
            output.ensureLineStart()
            output.flush()
            SignalHandling.resetForNextStep()
            switch editor.read(prompt: lines.isEmpty ? Self.prompt : Self.continuationPrompt) {
            case .endOfInput:
                if lines.isEmpty { return .endOfInput }
                output.note("(unfinished input dropped)")
                lines = []
                blankRun = 0
            case .interrupted:
                lines = []
                blankRun = 0
            case .line(let line):
                let isBlank = line.allSatisfy(\.isWhitespace)
                if lines.isEmpty {
                    if isBlank { continue }
                    let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                    if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") { return .command(trimmed) }
                }
                lines.append(line)
                let source = lines.joined(separator: "\n")
                if interpreter.completeness(of: source) != .incomplete { return .code(source) }
                blankRun = isBlank ? blankRun + 1 : 0
                if blankRun >= 2 { return .code(source) }
            }
        }
    }

    /// Runs one cell: echoes its value, or renders its error.
    func run(_ source: String) {
        SignalHandling.resetForNextStep()
        do {
            let value = try interpreter.runCell(cell(source), file: fileName)
            endLineAfterEchoedInterrupt()
            if let value {
                output.ensureLineStart()
                output.echo(interpreter.echo(value))
            }
        } catch {
            endLineAfterEchoedInterrupt()
            output.error(interpreter.render(error))
            failed(error.exitCode)
        }
    }

    /// Input from a pipe or file (stdin is not a terminal): the same cells and commands
    /// as at the prompt, read with no line editor, prompts or colour. A cell ends where
    /// the parser is satisfied; `:cmd` and `?name` are commands at the start of a cell.
    /// Returns the first failure's exit code (0 when everything ran).
    func runPiped() -> Int32 {
        interpreter.write = { [output] in output.write($0) }
        var pending = ""
        var nextLine = 1
        func runPending() {
            defer { pending = ""; linesBefore = nextLine - 1 }
            guard !pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            run(pending)
            output.flush()
        }
        while let line = readLine(strippingNewline: false) {
            nextLine += 1
            if pending.isEmpty {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") {
                    let outcome = runCommand(trimmed)
                    output.ensureLineStart()
                    output.flush()
                    linesBefore = nextLine - 1
                    if outcome == .quit { return status }
                    continue
                }
                // Blank lines between cells only move the line count on.
                if trimmed.isEmpty { linesBefore = nextLine - 1; continue }
            }
            pending += line
            if interpreter.completeness(of: pending) != .incomplete { runPending() }
        }
        runPending()
        output.ensureLineStart()
        output.flush()
        return status
    }

    /// The terminal echoes `^C` itself while a cell runs; end that line before writing.
    func endLineAfterEchoedInterrupt() {
        if SignalHandling.interruptedThisStep.exchange(false, ordering: .relaxed) { output.write("\n") }
    }

    /// Runs `source` for a command that needs its value (`:type`).
    func evaluate(_ source: String, usage: String) -> Value? {
        guard !source.isEmpty else {
            output.error("error: usage: \(usage)")
            failed(64)
            return nil
        }
        SignalHandling.resetForNextStep()
        do {
            guard let value = try interpreter.runCell(cell(source), file: fileName, bindsUnderscore: false) else {
                output.note("(no value)")
                return nil
            }
            return value
        } catch {
            endLineAfterEchoedInterrupt()
            output.error(interpreter.render(error))
            failed(error.exitCode)
            return nil
        }
    }
}
