@preconcurrency import Glibc

/// C's stdout/stderr, reached from one file: Swift 6 rejects the `stdout` global as
/// shared mutable state unless Glibc is imported `@preconcurrency`, and a file that also
/// imports Foundation sees Glibc without that attribute. Readline writes to the same
/// `FILE *stdout`, so the REPL's output and readline's stay in order.
enum StandardStreams {
    static func out(_ text: String) { fputs(text, stdout) }
    static func err(_ text: String) { fputs(text, stderr) }
    static func flush() { fflush(stdout) }
}
