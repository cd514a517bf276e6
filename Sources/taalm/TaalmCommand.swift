import ArgumentParser
import Foundation
import Language

/// Entry point: `taalm notebook ...` goes to `NotebookCommand`, everything else to
/// `TaalmCommand`. (ArgumentParser cannot combine the root's passthrough script
/// arguments with subcommands: `taalm notebook x` would run a script named "notebook";
/// such a script is still reachable as `taalm ./notebook`.)
@main
enum TaalmMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "notebook" {
            NotebookCommand.main(Array(arguments.dropFirst()))
        } else {
            TaalmCommand.main(arguments)
        }
    }
}

/// `taalm` — run a script, an expression, piped lines, or the interactive REPL.
struct TaalmCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "taalm",
        abstract: "A notebook-style language for experimenting with Train-Attention.",
        discussion: """
            taalm                    start the REPL (or run lines piped on stdin)
            taalm FILE.taalm [ARGS]  run a script; ARGS are visible to it as `args`
            taalm -e 'EXPR'          run an expression or statements
            taalm --check FILE...    parse and resolve scripts without running them
            taalm notebook FILE.taalm -o report.html|report.md
                                     run a notebook and write a report (see taalm notebook --help)
            Exit codes: 0 ok, 64 usage, 65 compile error, 66 file not found, 70 runtime error.
            """,
        version: version
    )

    /// `.unconditional`: the code may start with '-' (`taalm -e '-1 + 2'`).
    @Option(name: .customShort("e"), parsing: .unconditional, help: "Run this code instead of a file.")
    var expression: String?

    @Flag(help: "Parse and resolve the scripts (the file and any further arguments) without running them: syntax and scope errors, with their locations, before a long run.")
    var check = false

    @Argument(help: "The script to run.")
    var file: String?

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the script (visible to it as `args`).")
    var scriptArguments: [String] = []

    mutating func run() throws {
        let code = check ? Runner.check(files: (file.map { [$0] } ?? []) + scriptArguments, expression: expression)
            : Runner.main(expression: expression, file: file, arguments: scriptArguments)
        fflush(nil)
        if code != 0 { throw ExitCode(code) }
    }
}
