import Display
import Foundation
import Language

/// What running a notebook produced.
public struct NotebookResult {
    public var report: Report
    /// 0 when every cell ran; otherwise the first error's code (65 compile, 70 runtime).
    public var exitCode: Int32
    /// Rendered diagnostics of the cells that failed, in order.
    public var errors: [String]
    /// Code cells that ran (including failed ones).
    public var cellsRun: Int
    /// Code cells left out because an earlier cell failed.
    public var cellsSkipped: Int
}

/// Runs a `.taalm` notebook (jupytext "percent" cells, see `NotebookCells`) cell by cell
/// in one interpreter and collects a `Report`: each code cell's source, what it printed,
/// what it showed (`show(x)`), the summary line of each progress bar (with the printed text), the value of its last expression (the
/// rich form of figures, tables, tensors and token views; the REPL echo otherwise) and
/// its error. Markdown cells become prose; raw cells are left out.
///
/// A cell's source is run with its first line at its line in the file, so diagnostics
/// point into the file (`nb.taalm:14:3: error: ...`). An error stops the run unless
/// `keepGoing`; the cells after it are left out of the report, and the subtitle says so.
public final class NotebookRunner {
    public var keepGoing = false
    public var config = InterpreterConfig()
    /// Builds the progress output for the run from the report's summary callback; the
    /// default also draws a live bar on stderr when it is a terminal.
    public var progressOutput: (@escaping (String) -> Void) -> ProgressOutput = { ProgressOutput.notebook(summary: $0) }
    /// Called with each cell's rendered error as it happens (the CLI echoes it to stderr).
    public var onError: ((String) -> Void)?

    public init() {}

    /// Collects one cell's outputs in the order they happen.
    private final class Capture {
        var outputs: [ReportOutput] = []
        var pending = ""
        func flush() {
            if !pending.isEmpty { outputs.append(.stdout(pending)); pending = "" }
        }
        func add(_ o: ReportOutput) { flush(); outputs.append(o) }
        func take() -> [ReportOutput] {
            flush()
            defer { outputs = [] }
            return outputs
        }
    }

    public func run(source text: String, file: String) -> NotebookResult {
        let capture = Capture()
        let frontend = Frontend(richOutput: { capture.add($0) },
                                progress: progressOutput({ capture.pending += $0.hasSuffix("\n") ? $0 : $0 + "\n" }))
        let interp = Runtime.makeInterpreter(config: config, frontend: frontend)
        interp.write = { capture.pending += $0 }
        let context = DisplayContext(width: config.displayWidth, color: false)

        var cells = NotebookCells.split(text)
        let title = Self.takeTitle(&cells) ?? (file as NSString).lastPathComponent
        var reportCells: [ReportCell] = []
        var errors: [String] = []
        var exitCode: Int32 = 0
        var ran = 0, skipped = 0
        var stop: (cell: Int, line: Int)? = nil

        for cell in cells {
            if stop != nil {
                if cell.kind == .code, !cell.source.trimmingWhitespace().isEmpty { skipped += 1 }
                continue
            }
            switch cell.kind {
            case .raw: continue
            case .markdown:
                reportCells.append(.markdown(cell.source, title: cell.title, line: cell.markerLine ?? cell.firstLine))
            case .code:
                guard !cell.source.trimmingWhitespace().isEmpty else { continue }
                ran += 1
                // Leading newlines put the cell's first line at its line in the file.
                let padded = String(repeating: "\n", count: max(0, cell.firstLine - 1)) + cell.source
                do throws(TaalmError) {
                    if let value = try interp.runCell(padded, file: file) {
                        for o in RichForm.outputs(value, context, text: { interp.echo($0) }) { capture.add(o) }
                    }
                } catch {
                    let rendered = interp.render(error)
                    capture.add(.error(rendered))
                    errors.append(rendered)
                    onError?(rendered)
                    if exitCode == 0 { exitCode = error.exitCode }
                    if !keepGoing { stop = (ran, cell.firstLine) }
                }
                reportCells.append(.code(cell.source, outputs: capture.take(), title: cell.title, line: cell.firstLine))
            }
        }
        var subtitle = file
        if let stop {
            subtitle += " · stopped at the error in code cell [\(stop.cell)] (line \(stop.line))"
            if skipped > 0 { subtitle += "; \(skipped) later code cell\(skipped == 1 ? " was" : "s were") not run" }
        } else if !errors.isEmpty {
            subtitle += " · \(errors.count) cell\(errors.count == 1 ? "" : "s") failed"
        }
        return NotebookResult(report: Report(title: title, subtitle: subtitle, cells: reportCells),
                              exitCode: exitCode, errors: errors, cellsRun: ran, cellsSkipped: skipped)
    }

    /// A leading Markdown cell that opens with a level-1 heading gives the report its
    /// title; the heading leaves the cell (and an emptied cell leaves the notebook).
    static func takeTitle(_ cells: inout [NotebookCell]) -> String? {
        guard let first = cells.first, first.kind == .markdown else { return nil }
        var lines = first.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let head = lines.first, head.hasPrefix("# ") else { return nil }
        let title = String(head.dropFirst(2)).trimmingWhitespace()
        guard !title.isEmpty else { return nil }
        lines.removeFirst()
        while let l = lines.first, l.trimmingWhitespace().isEmpty { lines.removeFirst() }
        if lines.isEmpty { cells.removeFirst() } else { cells[0].source = lines.joined(separator: "\n") }
        return title
    }
}

private extension String {
    func trimmingWhitespace() -> String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
