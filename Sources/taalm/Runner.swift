import Foundation
import Language
import Runtime

/// The non-interactive ways to run taalm code, with the exit-code policy.
enum Runner {
    static func main(expression: String?, file: String?, arguments: [String]) -> Int32 {
        let interp = Runtime.makeInterpreter(config: terminalConfig())
        if let problem = interp.preludeProblem { warn("warning: prelude not loaded: \(problem)") }
        if let expression {
            interp.scriptArguments = (file.map { [$0] } ?? []) + arguments
            return report(interp) { () throws(TaalmError) in
                if let value = try interp.runCell(expression, file: "<-e>") { interp.write(interp.display(value) + "\n") }
            }
        }
        if let path = file {
            interp.scriptArguments = arguments
            if case .failure(let problem) = ScriptFile.read(path) {
                warn("taalm: cannot open '\(path)': \(problem.reason)")
                return problem.exitCode
            }
            return report(interp) { () throws(TaalmError) in try interp.runFile(path: path) }
        }
        if isatty(0) != 0 { return REPL.run(interp) }
        return pipe(interp)
    }

    /// `taalm --check`: compiles each script (or the -e code) without running it, prints
    /// "FILE: ok" or its diagnostics, and exits with the first failure's code (65 compile
    /// error, 66 missing file).
    static func check(files: [String], expression: String?) -> Int32 {
        guard !files.isEmpty || expression != nil else {
            warn("taalm --check: give one or more script files (or -e 'code')")
            return 64
        }
        var status: Int32 = 0
        let sources: [(name: String, text: Result<String, ScriptFile.Problem>)] = (expression.map { [("<-e>", .success($0))] } ?? [])
            + files.map { path in (path, ScriptFile.read(path)) }
        for (name, read) in sources {
            let text: String
            switch read {
            case .success(let t): text = t
            case .failure(let problem):
                warn("taalm: cannot open '\(name)': \(problem.reason)")
                if status == 0 { status = problem.exitCode }
                continue
            }
            let interp = Runtime.makeInterpreter(config: terminalConfig())
            let code = report(interp) { () throws(TaalmError) in try interp.check(source: text, file: name) }
            if code == 0 { print("\(name): ok") } else if status == 0 { status = code }
        }
        return status
    }

    /// Displays (figures, tables, token views) in colour when stdout is a terminal and
    /// `NO_COLOR` is unset or empty, as wide as the terminal.
    static func terminalConfig(environment: [String: String] = ProcessInfo.processInfo.environment) -> InterpreterConfig {
        var config = InterpreterConfig()
        let tty = isatty(STDOUT_FILENO) == 1
        config.color = tty && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        var size = winsize()
        if tty, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 { config.displayWidth = Int(size.ws_col) }
        if let text = environment["TAALM_MAX_TENSOR_ELEMENTS"] {
            if let n = Int(text.filter { $0 != "_" }), n > 0 { config.maxTensorElements = n } else {
                warn("warning: TAALM_MAX_TENSOR_ELEMENTS=\(text) is not a positive integer; keeping \(config.maxTensorElements)")
            }
        }
        return config
    }

    static func warn(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write((text + "\n").data(using: .utf8) ?? Data())
    }

    private static func report(_ interp: Interpreter, _ body: () throws(TaalmError) -> Void) -> Int32 {
        do throws(TaalmError) {
            try body()
            return 0
        } catch {
            warn(interp.render(error))
            return error.exitCode
        }
    }

    /// Lines from a pipe or file, run as the REPL runs them (cells end where the parser is
    /// satisfied; `:help`, `?name`, `:vars`, `:type`, ... work), echoing bare expressions
    /// without colour or escape codes. The exit code is the first error's (0 when all ran).
    static func pipe(_ interp: Interpreter) -> Int32 {
        let session = REPLSession(interpreter: interp, output: Output(plain: true),
                                  history: History(environment: ["TAALM_HISTORY": ""]))
        session.fileName = "<stdin>"
        return session.runPiped()
    }
}
