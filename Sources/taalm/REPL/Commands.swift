import Foundation
import Language

/// The REPL's meta-commands: a line starting with `:` (or `?name`) at the main prompt.
/// A command may be abbreviated to any unique prefix (`:he`, `:va`, `:l`).
enum Commands {
    struct Spec {
        let name: String
        let aliases: [String]
        let usage: String
        let summary: String
    }

    static let all: [Spec] = [
        Spec(name: "help", aliases: [], usage: ":help [name]", summary: "commands and builtins; with a name, its documentation (also ?name)"),
        Spec(name: "vars", aliases: [], usage: ":vars", summary: "the variables you defined, with type and value"),
        Spec(name: "type", aliases: [], usage: ":type expr", summary: "the type of an expression's value (evaluates it)"),
        Spec(name: "time", aliases: [], usage: ":time expr", summary: "run the code and show its value and the wall time it took"),
        Spec(name: "load", aliases: [], usage: ":load file", summary: "run a .taalm file here; its definitions stay"),
        Spec(name: "reset", aliases: [], usage: ":reset", summary: "forget every binding"),
        Spec(name: "quit", aliases: ["q", "exit"], usage: ":quit", summary: "leave (also :q or Ctrl-D)"),
    ]

    static var names: [String] { all.map(\.name) }

    /// The command a typed name means: exact name or alias, else a unique prefix.
    static func resolve(_ typed: String) -> Spec? {
        if let exact = all.first(where: { $0.name == typed || $0.aliases.contains(typed) }) { return exact }
        let candidates = all.filter { $0.name.hasPrefix(typed) }
        return !typed.isEmpty && candidates.count == 1 ? candidates[0] : nil
    }

    static var summaryTable: String {
        let width = all.map(\.usage.count).max() ?? 0
        return all.map { "  " + $0.usage.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n")
    }
}

extension REPLSession {
    enum CommandOutcome { case keepGoing, quit }

    /// Runs `text`, which starts with `:` or `?` (already trimmed).
    func runCommand(_ text: String) -> CommandOutcome {
        if text.hasPrefix("?") {
            showHelp(for: String(text.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines))
            return .keepGoing
        }
        let body = text.dropFirst()
        let typed = String(body.prefix(while: { !$0.isWhitespace }))
        let argument = body.dropFirst(typed.count).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let command = Commands.resolve(typed) else {
            let what = typed.isEmpty ? "':'" : "':\(typed)'"
            let ambiguous = Commands.all.filter { !typed.isEmpty && $0.name.hasPrefix(typed) }.map { ":" + $0.name }
            if ambiguous.count > 1 {
                output.error("error: \(what) is ambiguous: \(ambiguous.joined(separator: ", "))")
                failed(64)
            } else {
                output.error("error: unknown command \(what). Commands: "
                    + Commands.all.map { ":" + $0.name }.joined(separator: " ") + " (and ?name)")
                failed(64)
            }
            return .keepGoing
        }
        switch command.name {
        case "help": showHelp(for: argument)
        case "vars": showVariables()
        case "type":
            guard let value = evaluate(argument, usage: command.usage) else { break }
            output.line(interpreter.typeDescription(of: value))
        case "time":
            guard !argument.isEmpty else { output.error("error: usage: \(command.usage)"); failed(64); break }
            let clock = ContinuousClock()
            let start = clock.now
            run(argument)
            output.note("time: " + Self.format(clock.now - start))
        case "load":
            guard !argument.isEmpty else { output.error("error: usage: \(command.usage)"); failed(64); break }
            load(Self.expandPath(argument))
        case "reset":
            interpreter.reset()
            output.note("all bindings cleared")
        default:
            return .quit
        }
        return .keepGoing
    }

    private func showHelp(for name: String) {
        if name.isEmpty {
            output.line("REPL commands:\n" + Commands.summaryTable)
            output.line("Type code to run it; a bare expression shows its value (bound to _), a trailing ; hides it.")
            output.line("Tab completes names, members after '.', and commands. Ctrl-C interrupts, Ctrl-D quits.\n")
            output.line(interpreter.helpIndex())
        } else if let doc = interpreter.help(name) {
            output.paragraph(doc)
        } else if name.hasPrefix(":"), let command = Commands.resolve(String(name.dropFirst())) {
            output.line("\(command.usage)\n  \(command.summary)")
        } else {
            output.error("error: no help for '\(name)' (:help lists what there is)")
            failed(64)
        }
    }

    private func showVariables() {
        let variables = interpreter.variables()
        guard !variables.isEmpty else { return output.note("(no variables)") }
        let nameWidth = variables.map(\.name.count).max() ?? 0
        let typeWidth = variables.map(\.type.count).max() ?? 0
        for v in variables {
            let summary = v.summary.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let short = summary.count > 60 ? summary.prefix(59) + "…" : summary
            output.line(v.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0)
                + output.style("2", v.type.padding(toLength: typeWidth + 2, withPad: " ", startingAt: 0))
                + short)
        }
    }

    private func load(_ path: String) {
        SignalHandling.resetForNextStep()
        do {
            try interpreter.runFile(path: path)
            output.ensureLineStart()
            output.note("loaded \(path)")
        } catch {
            endLineAfterEchoedInterrupt()
            output.error(interpreter.render(error))
            failed(error.exitCode)
        }
    }

    static func expandPath(_ argument: String) -> String {
        var path = argument
        if path.count >= 2, let q = path.first, q == "\"" || q == "'", path.last == q {
            path = String(path.dropFirst().dropLast())
        }
        if path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            path = home + path.dropFirst()
        }
        return path
    }

    static func format(_ d: Duration) -> String {
        let (s, atto) = d.components
        let seconds = Double(s) + Double(atto) * 1e-18
        if seconds < 1e-3 { return String(format: "%.1f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.3f s", seconds)
    }
}
