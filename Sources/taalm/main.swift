// STAND-IN — the command-line engineer owns this file; take theirs at merge.
// It only starts the REPL so the REPL's pty tests can drive the binary.
import Glibc
import Language

if CommandLine.arguments.count == 1 && isatty(STDIN_FILENO) == 1 {
    exit(REPL.run(Interpreter()))
}
print("taalm: not built yet")
