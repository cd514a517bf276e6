import Language

/// The interactive REPL, for `taalm` with no arguments when stdin is a terminal.
///
/// Returns the process exit code (0 on `:quit` or Ctrl-D).
enum REPL {
    static func run(_ interp: Interpreter) -> Int32 {
        REPLSession(interpreter: interp).run()
    }
}
