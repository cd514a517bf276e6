import CReadline
import Glibc

/// C's stdout/stderr, through the CReadline shim (see shim.h for why). Readline writes to
/// the same `FILE *stdout`, so the REPL's output and readline's stay in order.
enum StandardStreams {
    static func out(_ text: String) { fputs(text, taalm_stdout()) }
    static func err(_ text: String) { fputs(text, taalm_stderr()) }
    static func flush() { fflush(taalm_stdout()) }
}
