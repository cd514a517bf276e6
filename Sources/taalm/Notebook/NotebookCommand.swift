import ArgumentParser
import Foundation

/// `taalm notebook FILE.taalm -o report.html`: runs a notebook and writes its report.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taalm notebook",
        abstract: "Run a .taalm notebook cell by cell and write a report with its outputs, tables and figures.",
        discussion: """
            Cells use the jupytext "percent" format: `# %%` (optionally followed by a title) starts a code \
            cell, `# %% [markdown]` a prose cell whose `# `-prefixed lines are Markdown. A file without \
            markers is one cell.
            -o report.html writes one self-contained HTML page (inline SVG figures, no external files);
            -o report.md writes Markdown, with figures as SVG files in report_files/ beside it.
            An error is shown in its cell and stops the run (--keep-going runs the remaining cells).
            Exit codes as for scripts: 0 ok, 65 compile error, 70 runtime error; 64 usage,
            66 notebook not found, 73 report not writable.
            """
    )

    @Argument(help: "The notebook script to run.")
    var file: String

    @Option(name: .shortAndLong, help: "The report to write: a .html or .md file.")
    var output: String

    @Flag(help: "Run every cell even after one fails.")
    var keepGoing = false

    func validate() throws {
        guard ReportFormat(path: output) != nil else {
            throw ValidationError("the report must be a .html or .md file, not '\(output)'")
        }
    }

    mutating func run() throws {
        let code = NotebookMain.run(file: file, output: output, keepGoing: keepGoing)
        fflush(nil)
        if code != 0 { throw ExitCode(code) }
    }
}
